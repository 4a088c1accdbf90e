#!/usr/bin/env python3
"""Mutation testing of the clinical core: does a test fail when a rule is changed?

Each mutant changes one thing in the clinical core's source, by its syntax tree: a comparison
flipped (< and <=, > and >=, == and !=, is and is not, in and not in), a number moved by one
step (an int by 1, a float by 0.1 up to 1 and by 1 above), `and` and `or` swapped, a `not`
removed, `min` and `max` swapped, a boolean return negated, an `if` forced true or false, or a
statement dropped where that still runs (an append or add, an assignment to a field, an
augmented assignment).

Every mutant is written into a copy of the tree in a temporary folder (the working tree is
never written), the focused tests run against it with a timeout, and the copy gets the
original file back before the next mutant. A mutant is killed when a test fails, survives
when every test passes, and times out when the tests run past the timeout (counted as killed
by most tools; reported on its own here).

    python scripts/mutate.py                      # every module, every mutant
    python scripts/mutate.py --module gate --limit 40 --jobs 2
    python scripts/mutate.py --rerun build/mutation.json   # only the last run's survivors

It prints killed / survived / timed out per module and overall, and writes every result to
build/mutation.json and the survivors to build/mutation-survivors.txt. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from queue import Queue

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "src/stretchcoach/domain"

# The focused tests: every test that exercises the clinical core's rules, measured to catch
# what the whole of tests/unit catches for these modules, in a fraction of the time.
TESTS = (
    "tests/unit/test_clinical.py",
    "tests/unit/test_worse_mornings.py",
    "tests/unit/test_dose_rules.py",
    "tests/unit/test_safety.py",
    "tests/unit/test_visits.py",
    "tests/unit/test_session_case.py",
    "tests/unit/test_trends.py",
    "tests/unit/test_centralisation.py",
    "tests/unit/test_sources_numbers.py",
    "tests/unit/test_symptoms.py",
    "tests/unit/test_transfer.py",
    "tests/unit/test_clinical_rules.py",
    "tests/unit/test_checkin_answers.py",
    "tests/unit/test_after_check.py",
)
# What the tests read besides src/ and tests/.
COPIED = ("src", "tests", "docs", "pyproject.toml", "README.md")


@dataclass(frozen=True, slots=True)
class Target:
    """A module to mutate: every function in it, unless `functions` names some; and the
    module-level numbers (all of them, or those in `constants`)."""

    path: str
    functions: frozenset[str] = frozenset()
    constants: frozenset[str] | None = None  # None: every module-level number

    @property
    def name(self) -> str:
        return self.path.removeprefix(f"{DOMAIN}/").removesuffix(".py").replace("/", ".")


def targets() -> list[Target]:
    clinical = sorted((ROOT / DOMAIN / "clinical").glob("*.py"))
    found = [Target(str(p.relative_to(ROOT))) for p in clinical]
    found += [
        Target(f"{DOMAIN}/screening.py"),
        Target(f"{DOMAIN}/checkin.py"),
        # the rules of the check, not the wording of its questions
        Target(f"{DOMAIN}/safety.py", constants=frozenset()),
        Target(
            f"{DOMAIN}/trends.py",
            functions=frozenset({"noticeable_rise"}),
            constants=frozenset({"RISE_POINTS", "RELATIVE_CHANGE", "MIN_CHANGE", "TOP_BAND"}),
        ),
    ]
    return found


# -- making mutants -----------------------------------------------------------------------------

SWAP_COMPARE: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
OP_TEXT = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
FIELD_CALLS = {"append", "add", "extend", "update", "discard", "remove"}


@dataclass(frozen=True, slots=True)
class Site:
    """One change at one place: the node's position in a walk of the tree, and what to do."""

    node: int  # index of the node in `walk(tree)`
    kind: str
    arg: int | float | bool | None
    line: int
    what: str


def walk(tree: ast.AST) -> list[ast.AST]:
    """Every node, in a fixed order (the same for a copy of the same tree)."""
    return list(ast.walk(tree))


def in_scope(tree: ast.Module, target: Target) -> set[int]:
    """ids of the nodes that may be changed: in the chosen functions (not their annotations
    or docstrings) and the chosen module-level numbers."""
    chosen: set[int] = set()

    def take(node: ast.AST) -> None:
        for sub in ast.walk(node):
            chosen.add(id(sub))

    def body_of(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        body = fn.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        for stmt in body:
            take(stmt)
        for default in [*fn.args.defaults, *fn.args.kw_defaults]:
            if default is not None:
                take(default)

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not target.functions or child.name in target.functions:
                    body_of(child)
                continue  # nested functions come with their parent
            if isinstance(child, ast.ClassDef):
                visit(child)

    visit(tree)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            names = [t.id for t in _targets(stmt) if isinstance(t, ast.Name)]
            if target.constants is not None and not set(names) & target.constants:
                continue
            value = stmt.value
            if value is not None and _number(value):
                chosen.add(id(value))
    return chosen


def _targets(stmt: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return list(stmt.targets) if isinstance(stmt, ast.Assign) else [stmt.target]


def _number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


def _returns_bool(fn: ast.AST) -> bool:
    return (
        isinstance(fn, ast.FunctionDef)
        and isinstance(fn.returns, ast.Name | ast.Constant)
        and (
            getattr(fn.returns, "id", None) == "bool" or getattr(fn.returns, "value", "") == "bool"
        )
    )


def _moved(value: float | int) -> list[float | int]:
    if isinstance(value, int):
        return [value + 1, value - 1]
    step = 0.1 if abs(value) <= 1 else 1.0
    return [round(value - step, 10), round(value + step, 10)]


def sites(tree: ast.Module, target: Target) -> list[Site]:
    """Every mutant of one module, in a fixed order."""
    scope = in_scope(tree, target)
    nodes = walk(tree)
    bool_returns: set[int] = set()
    for node in nodes:
        if _returns_bool(node):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return) and sub.value is not None:
                    bool_returns.add(id(sub))
    found: list[Site] = []
    for index, node in enumerate(nodes):
        if id(node) not in scope:
            continue
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                swap = SWAP_COMPARE.get(type(op))
                if swap is not None:
                    what = f"{OP_TEXT[type(op)]} -> {OP_TEXT[swap]}"
                    found.append(Site(index, "compare", position, line, what))
        elif _number(node):  # in -1 the 1 is the number: its sign stays
            assert isinstance(node, ast.Constant) and isinstance(node.value, int | float)
            for value in _moved(node.value):
                found.append(Site(index, "number", value, line, f"{node.value!r} -> {value!r}"))
        elif isinstance(node, ast.BoolOp):
            other = "or" if isinstance(node.op, ast.And) else "and"
            found.append(
                Site(index, "boolop", None, line, f"{'and' if other == 'or' else 'or'} -> {other}")
            )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append(Site(index, "not", None, line, "not removed"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("min", "max")
        ):
            other = "max" if node.func.id == "min" else "min"
            found.append(Site(index, "minmax", None, line, f"{node.func.id} -> {other}"))
        elif isinstance(node, ast.Return) and id(node) in bool_returns:
            found.append(Site(index, "return", None, line, "boolean return negated"))
        elif isinstance(node, ast.If):
            found.append(Site(index, "if", True, line, "if condition forced True"))
            found.append(Site(index, "if", False, line, "if condition forced False"))
        elif isinstance(node, ast.Expr | ast.Assign | ast.AugAssign) and _droppable(node):
            found.append(Site(index, "drop", None, line, "statement deleted"))
    return found


def _droppable(node: ast.stmt) -> bool:
    if isinstance(node, ast.Expr):
        call = node.value
        return (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in FIELD_CALLS
        )
    if isinstance(node, ast.AugAssign):
        return True
    assert isinstance(node, ast.Assign)
    return any(isinstance(t, ast.Attribute | ast.Subscript) for t in node.targets)


def mutate(source: str, site: Site) -> str:
    """The module's source with one site changed."""
    tree = ast.parse(source)
    node = walk(tree)[site.node]
    if site.kind == "compare":
        assert isinstance(node, ast.Compare)
        position = int(site.arg or 0)
        node.ops[position] = SWAP_COMPARE[type(node.ops[position])]()
    elif site.kind == "number":
        assert isinstance(node, ast.Constant)
        node.value = site.arg
    elif site.kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif site.kind == "minmax":
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        node.func.id = "max" if node.func.id == "min" else "min"
    else:
        _replace(tree, node, site)
    return ast.unparse(ast.fix_missing_locations(tree))


def _replace(tree: ast.Module, node: ast.AST, site: Site) -> None:
    """Changes that swap a node for another: found through its parent."""
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is node:
                setattr(parent, name, _swapped(node, site))
                return
            if isinstance(value, list) and any(v is node for v in value):
                setattr(parent, name, [_swapped(v, site) if v is node else v for v in value])
                return
    raise LookupError(f"no parent for the node at line {site.line}")


def _swapped(node: ast.AST, site: Site) -> ast.AST:
    if site.kind == "not":
        assert isinstance(node, ast.UnaryOp)
        return node.operand
    if site.kind == "return":
        assert isinstance(node, ast.Return) and node.value is not None
        return ast.Return(ast.UnaryOp(ast.Not(), copy.deepcopy(node.value)))
    if site.kind == "if":
        assert isinstance(node, ast.If)
        return ast.If(ast.Constant(site.arg), node.body, node.orelse)
    assert site.kind == "drop"
    return ast.Pass()


# -- running them -------------------------------------------------------------------------------


@dataclass
class Result:
    module: str
    path: str
    index: int
    line: int
    what: str
    code: str
    outcome: str = ""  # killed, survived, timeout, error
    seconds: float = 0.0
    failed: str = ""


@dataclass
class Workspace:
    """A copy of the tree for one worker; each mutant is written in and taken out again."""

    root: Path
    originals: dict[str, str] = field(default_factory=dict)

    @classmethod
    def make(cls, base: Path) -> Workspace:
        root = Path(tempfile.mkdtemp(prefix="mutant-", dir=base))
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(
                    source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            elif source.exists():
                shutil.copy2(source, root / name)
        return cls(root)

    def run(self, result: Result, mutated: str, tests: list[str], timeout: float) -> None:
        path = self.root / result.path
        original = (ROOT / result.path).read_text()
        started = time.monotonic()
        try:
            path.write_text(mutated)
            outcome, failed = run_tests(self.root, tests, timeout)
        finally:
            path.write_text(original)  # never leave a mutant behind
        result.outcome, result.failed = outcome, failed
        result.seconds = round(time.monotonic() - started, 2)


def run_tests(root: Path, tests: list[str], timeout: float) -> tuple[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(root / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    command = [
        sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
        "-p", "no:randomly", "--no-header", "-o", "addopts=--import-mode=importlib",
        *tests,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", ""
    if process.returncode == 0:
        return "survived", ""
    if process.returncode == 1:
        failed = [ln for ln in output.splitlines() if ln.startswith(("FAILED", "ERROR"))]
        return "killed", failed[0][:200] if failed else ""
    return "killed", f"pytest exit {process.returncode}"  # an import error, a collection error


def plan(args: argparse.Namespace) -> list[tuple[Result, str]]:
    """The mutants to run, each with its mutated source."""
    rerun: set[tuple[str, int]] | None = None
    if args.rerun:
        previous = json.loads(Path(args.rerun).read_text())
        rerun = {(r["path"], r["index"]) for r in previous["results"] if r["outcome"] == "survived"}
    chosen: list[tuple[Result, str]] = []
    for target in targets():
        if args.ids and not any(x.split("#")[0] == target.name for x in args.ids):
            continue
        if args.module and not any(m in target.name for m in args.module):
            continue
        source = (ROOT / target.path).read_text()
        tree = ast.parse(source)
        found = list(enumerate(sites(tree, target)))
        if rerun is not None:
            found = [(i, s) for i, s in found if (target.path, i) in rerun]
        if args.ids:
            wanted = {int(x.split("#")[1]) for x in args.ids if x.split("#")[0] == target.name}
            found = [(i, s) for i, s in found if i in wanted]
        if args.limit and len(found) > args.limit:
            found = sorted(random.Random(f"{args.seed}:{target.name}").sample(found, args.limit))
        lines = source.splitlines()
        for index, site in found:
            code = lines[site.line - 1].strip() if 0 < site.line <= len(lines) else ""
            result = Result(target.name, target.path, index, site.line, site.what, code)
            chosen.append((result, mutate(source, site)))
    return chosen


def summary(results: list[Result]) -> list[str]:
    rows = ["module              mutants  killed  survived  timeout  error  killed %"]
    modules = sorted({r.module for r in results})
    for name in [*modules, "overall"]:
        mine = [r for r in results if name in ("overall", r.module)]
        counts = {
            k: sum(r.outcome == k for r in mine) for k in ("killed", "survived", "timeout", "error")
        }
        done = counts["killed"] + counts["timeout"]
        share = 100 * done / len(mine) if mine else 0.0
        rows.append(
            f"{name:<20}{len(mine):>7}{counts['killed']:>8}{counts['survived']:>10}"
            f"{counts['timeout']:>9}{counts['error']:>7}{share:>9.1f}"
        )
    return rows


def survivors_text(results: list[Result]) -> list[str]:
    return [
        f"{r.path}:{r.line} [{r.module}#{r.index}] {r.what}    | {r.code}"
        for r in results
        if r.outcome == "survived"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module", action="append", help="only modules whose name has this (repeatable)"
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="at most N mutants per module, sampled"
    )
    parser.add_argument("--seed", type=int, default=18, help="the sample's seed (with --limit)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=0,
        help="seconds per mutant (default: 3 x the clean run, at least 60)",
    )
    parser.add_argument(
        "--rerun", metavar="JSON", help="only the survivors of an earlier run's results"
    )
    parser.add_argument("--ids", nargs="*", help="only these mutants: module#index (see --list)")
    parser.add_argument(
        "--list-survivors", action="store_true", help="print each survivor at the end"
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--tests", nargs="*", default=list(TESTS), help="the tests to run")
    parser.add_argument("--out", default="build/mutation.json", help="where to write every result")
    args = parser.parse_args(argv)

    chosen = plan(args)
    if args.list:
        for result, _ in chosen:
            print(survivors_text([replace(result, outcome="survived")])[0])
        print(f"{len(chosen)} mutants")
        return 0
    tests = [t for t in args.tests if (ROOT / t).exists()]
    base = Path(tempfile.mkdtemp(prefix="stretchcoach-mutation-"))
    try:
        workspaces: Queue[Workspace] = Queue()
        for _ in range(max(1, args.jobs)):
            workspaces.put(Workspace.make(base))
        clean = workspaces.get()
        started = time.monotonic()
        outcome, failed = run_tests(clean.root, tests, timeout=1800)
        clean_s = time.monotonic() - started
        workspaces.put(clean)
        if outcome != "survived":
            print(f"the tests fail without any mutant: {failed}", file=sys.stderr)
            return 2
        timeout = args.timeout or max(60.0, 3 * clean_s)
        print(
            f"{len(chosen)} mutants; the clean run takes {clean_s:.1f} s; timeout {timeout:.0f} s",
            flush=True,
        )

        def one(item: tuple[Result, str]) -> Result:
            result, mutated = item
            space = workspaces.get()
            try:
                space.run(result, mutated, tests, timeout)
            except Exception as error:  # recorded: the run goes on
                result.outcome, result.failed = "error", repr(error)[:200]
            finally:
                workspaces.put(space)
            mark = {"killed": ".", "survived": "S", "timeout": "T"}.get(result.outcome, "E")
            print(mark, end="", flush=True)
            return result

        run_started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(one, chosen))
        took = time.monotonic() - run_started
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print()
    table = summary(results)
    print("\n".join(table))
    print(f"{took / 60:.1f} minutes with {args.jobs} job(s)")
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "seconds": round(took, 1),
        "clean_seconds": round(clean_s, 1),
        "jobs": args.jobs,
        "limit": args.limit,
        "seed": args.seed,
        "tests": tests,
        "summary": table,
        "results": [asdict(r) for r in results],
    }
    out.write_text(json.dumps(payload, indent=1))
    survivors = survivors_text(results)
    (out.parent / "mutation-survivors.txt").write_text("\n".join([*table, "", *survivors, ""]))
    if args.list_survivors:
        print("\n".join(survivors))
    print(f"results: {args.out}; survivors: {out.parent / 'mutation-survivors.txt'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
