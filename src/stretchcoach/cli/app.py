"""The Typer application, its commands, and the one place errors become a line and exit 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import typer
import typer.core

from stretchcoach import __version__
from stretchcoach.cli import camera
from stretchcoach.errors import StretchcoachError

if TYPE_CHECKING:
    from typer._click import Command, Context

# Each command: (module in stretchcoach.cli, its function or sub-app), in the order --help
# lists them (Typer lists the sub-apps last). A command's module is imported when that
# command runs (or --help lists it), so `history` does not pay for `start`'s imports.
COMMANDS: dict[str, tuple[str, str]] = {
    "start": ("start", "start"),
    "history": ("history", "history"),
    "log": ("log", "log"),
    "screen": ("screen", "screen"),
    "stats": ("stats", "stats"),
    "plot": ("plot", "plot"),
    "report": ("report", "report"),
    "remind": ("remind", "remind"),
    "export": ("transfer", "export"),
    "import": ("transfer", "import_"),
    "doctor": ("doctor", "doctor"),
    "analyze": ("analyze", "analyze"),
    "serve": ("serve", "serve"),
    "routine": ("routine", "app"),
    "accounts": ("accounts", "app"),
}


# Commands that run for minutes or hold much in memory (a session, the web app, a video, a
# large import) collect garbage as usual; the others end before it would matter.
LONG_RUNNING = frozenset({"start", "serve", "analyze", "import"})


class _LazyCommands(Mapping[str, "Command"]):
    """The commands by name, each built the first time it is asked for."""

    def __init__(self, build: Callable[[str], Command]) -> None:
        self._build = build
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in COMMANDS:
            raise KeyError(name)
        if name not in self._built:
            self._built[name] = self._build(name)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _LazyGroup(typer.core.TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = cast(MutableMapping[str, "Command"], _LazyCommands(_command))


def _typer(**settings: Any) -> typer.Typer:
    return typer.Typer(
        name="stretchcoach",
        help="A morning coach for a gentle seated hamstring stretch, for people with "
        "sciatica. No trial has shown that this stretch relieves sciatica: it coaches the "
        "stretch and watches your pain, it does not diagnose or treat. See a clinician for "
        "anything that worries you.",
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        **settings,
    )


app = _typer(cls=_LazyGroup)


def _command(name: str) -> Command:
    """One command, built as it would be in an app that registered every command up front."""
    import gc
    import importlib

    if name in LONG_RUNNING:
        gc.enable()
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"stretchcoach.cli.{module}"), attribute)
    alone = _typer()
    if isinstance(target, typer.Typer):
        alone.add_typer(target, name=name)
    else:
        alone.command(name)(target)
    alone.callback(invoke_without_command=True)(_root)
    group = typer.main.get_command(alone)
    assert isinstance(group, typer.core.TyperGroup)
    built = group.commands[name]
    _check_plain_values_directly(built)
    return built


def _root(
    version: bool = typer.Option(False, "--version", help="Show the version and exit."),
) -> None:
    if version:
        typer.echo(f"stretchcoach {__version__}")
        raise typer.Exit()


app.callback(invoke_without_command=True)(_root)


EXIT_BAD_INPUT = 2


def run(argv: Sequence[str]) -> int:
    """Run the CLI and return its exit code; every expected error is one line on stderr.
    The databases the command opened are closed before it returns."""
    try:
        return _run(argv)
    finally:
        bootstrap = sys.modules.get("stretchcoach.bootstrap")  # loaded by any database command
        if bootstrap is not None:
            # their connections wait in a pool, which the collector would otherwise close
            # (and Python 3.13 warns of every SQLite connection it closes)
            bootstrap.close_engines()


def _run(argv: Sequence[str]) -> int:
    command = typer.main.get_command(app)
    _check_plain_values_directly(command)
    argv = camera.with_default_index(list(argv))
    try:
        result = command.main(list(argv), prog_name="stretchcoach", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 130
    except typer.TyperException as error:  # Typer's usage and parameter errors
        print(f"Error: {_usage_line(error)}", file=sys.stderr)
        return error.exit_code
    except StretchcoachError as error:
        print(_for_the_screen(f"Error: {error}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    return result if isinstance(result, int) else 0


def _for_the_screen(line: str) -> str:
    """One line for scripts; on a terminal, broken between words to fit its width."""
    if not sys.stderr.isatty():
        return line
    import shutil
    import textwrap

    return textwrap.fill(line, width=max(40, shutil.get_terminal_size().columns - 1))


def _usage_line(error: typer.TyperException) -> str:
    message = " ".join(error.format_message().split()).replace("Value error, ", "")
    ctx = getattr(error, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return f"{message} (see '{path} --help')" if path else message


def _check_plain_values_directly(command: Command) -> None:
    """Let a text option's text, a flag's True or False, an unbounded number's default or a
    missing value through as they are, and leave anything else to Typer's own checks.

    Typer checks every option's value with a pydantic adapter, built on first use: importing
    pydantic and building them cost a database command a fifth of its CPU, for values that
    come out unchanged (a string stays that string, None stays None). Relies on Typer's
    internals (pinned below 0.30); if they change, nothing is replaced and Typer checks all.
    """
    plain_first = _plain_first()
    if plain_first is None:  # pragma: no cover - a Typer without these internals
        return
    from typer.core import _TyperParameter

    # --help is made on first use, then kept: make it now (the app keeps click's name for it)
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, help_option]:
        if isinstance(param, _TyperParameter) and getattr(param, "_runtime_param", 0) is None:
            descriptor = param.type_descriptor
            param._runtime_param = plain_first(
                descriptor.parameter_info, descriptor.annotation, descriptor
            )
    if not isinstance(command, _LazyGroup):  # the root's commands do this as they are built
        for sub in getattr(command, "commands", {}).values():
            _check_plain_values_directly(sub)


@functools.cache
def _plain_first() -> Any:
    """Typer's check of one option, passing plain values through (see above); None when
    this Typer does not have the internals it relies on."""
    try:
        from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    except ImportError:  # pragma: no cover
        return None

    @dataclass(frozen=True)
    class PlainFirst(RuntimeParam):
        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:
            info = self.parameter_info
            if info.parser is None and self.descriptor.file_annotation is None:
                if self.annotation in (str, bool) and type(value) is self.annotation:
                    return value
                plain_number = info.min is None and info.max is None and not info.clamp
                if self.annotation is int and type(value) is int and plain_number:
                    return value
            full = build_runtime_param(self.descriptor)
            return full._coerce_value(value, param=param, ctx=ctx)

    return PlainFirst
