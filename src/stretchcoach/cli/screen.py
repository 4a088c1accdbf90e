"""`stretchcoach screen`: the warning-signs check, asked one question at a time or scripted,
and `--seen DATE` to record that a clinician has seen you about what stands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, print_json, settings
from stretchcoach.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.domain.clinical import Verdict
    from stretchcoach.domain.safety import ScreenOutcome


def screen(
    answers: str | None = typer.Option(
        None,
        "--answers",
        metavar="LIST|FILE",
        help="Answer without questions: one yes/no for each question of the check, in order "
        "(no,no,yes,...), or a JSON file holding a list of true/false values or an object of "
        "question code to true/false. --questions lists them.",
    ),
    list_questions: bool = typer.Option(
        False,
        "--questions",
        help="List the questions in order, with their codes and how soon a yes needs care, "
        "and record nothing.",
    ),
    seen: str | None = typer.Option(
        None,
        "--seen",
        metavar="DATE",
        help="Record that a doctor or physiotherapist saw you on DATE (YYYY-MM-DD) about the "
        "warning signs or stop rules that stand, and said you may exercise.",
    ),
    seen_note: str | None = typer.Option(
        None, "--note", metavar="TEXT", help="With --seen: what they said (optional)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Check for warning signs that need a doctor before stretching (every 30 days)."""
    import sys
    from zoneinfo import ZoneInfo

    from rich.console import Console

    from stretchcoach import bootstrap
    from stretchcoach.domain.clinical import GateStatus
    from stretchcoach.services.clinical import verdict
    from stretchcoach.services.safety import acknowledge, answer_screen

    console = Console(highlight=False)
    if list_questions and (answers is not None or seen is not None):
        raise InvalidInput("give --questions alone: it lists the questions and records nothing")
    if list_questions:
        show_questions(console, as_json=as_json)
        return
    if answers is not None and seen is not None:
        raise InvalidInput("give --answers or --seen, not both")
    if seen_note is not None and seen is None:
        raise InvalidInput(
            "--note goes with --seen DATE: it is what the doctor or physiotherapist said at "
            "that visit (add --seen YYYY-MM-DD, or leave --note out)"
        )
    seen_on = _seen_date(seen) if seen is not None else None
    given = answers_from_option(answers) if answers is not None else None
    if given is None and seen_on is None and not sys.stdin.isatty():
        raise InvalidInput(
            "the warning-signs check needs answers: run it in a terminal, or pass --answers "
            "with one yes or no for each question, in order ('stretchcoach screen --questions' "
            "lists them)"
        )
    current = settings(db)  # a store that cannot record refuses before any question
    zone = ZoneInfo(bootstrap.local_time_zone(current))
    store = open_store(current)
    routine = bootstrap.routine()
    now = bootstrap.clock().now()
    found = verdict(store.user_id, routine, uow=store.uow, now=now, zone=zone)
    if seen_on is not None:
        ack = acknowledge(
            store.user_id,
            routine,
            seen_on=seen_on,
            by_user_id=store.user_id,
            by_name="You",
            note=seen_note or "",
            uow=store.uow,
            now=now,
            zone=zone,
        )
        if as_json:
            print_json({"seen_on": ack.seen_on.isoformat(), "codes": list(ack.codes)})
            return
        console.print(
            f"Noted: seen on {ack.seen_on:%d %b %Y}. If anything changes, answer the check "
            "again with 'stretchcoach screen'.",
            style="green",
        )
        return
    recheck = found.gate.status is GateStatus.RECHECK
    if given is None:
        if recheck:
            console.print(f"{found.gate.message[:1].upper()}{found.gate.message[1:]}.")
        given = ask_screen(console, emergency_only=recheck)
    partial = any(a is None for a in given)
    screen_result, outcome = answer_screen(
        given, user_id=store.user_id, uow=store.uow, now=now, partial=partial
    )
    after = verdict(store.user_id, routine, uow=store.uow, now=now, zone=zone)
    if as_json:
        from stretchcoach.domain.clinical.answered import after_check

        print_json(
            {
                "answered_at": screen_result.answered_at.isoformat(),
                "clear": outcome.clear,
                "care": outcome.care.value if outcome.care else None,
                "yes": [q.code for q in outcome.yes],
                "message": after_check(outcome, after.gate).message,
                "gate": after.gate.status.value,
                "standing": [e.question.code for e in after.gate.open],
            }
        )
        return
    show_outcome(console, outcome, after)


def show_questions(console: Console, *, as_json: bool = False) -> None:
    """The current check's questions, numbered in the order `--answers` takes them."""
    from stretchcoach.domain.safety import CARE_ACTIONS, QUESTIONS, SCREEN_VERSION

    if as_json:
        print_json(
            {
                "version": SCREEN_VERSION,
                "questions": [
                    {"code": q.code, "text": q.text, "care": q.care.value} for q in QUESTIONS
                ],
            }
        )
        return
    console.print(
        f"[bold]Warning signs check[/bold] · {len(QUESTIONS)} questions, answered in this "
        "order with --answers (one yes or no each):"
    )
    for number, q in enumerate(QUESTIONS, start=1):
        console.print(f"{number:>2}. {q.text}")
        console.print(f"    [dim]{q.code} · a yes: {CARE_ACTIONS[q.care]}[/dim]")


def _seen_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--seen {text!r} is not a date: use YYYY-MM-DD") from None


ANSWERS_MAX_BYTES = 64 * 2**10  # a dozen yes/no answers fit in a few hundred bytes


def answers_from_option(value: str) -> tuple[bool | None, ...]:
    """`--answers`: a JSON file when one is there, otherwise a yes/no list or 'none'."""
    from stretchcoach.domain.safety import QUESTIONS, check_answers, parse_answers

    path = Path(value)
    if not value.lower().endswith(".json"):
        return parse_answers(value)
    from stretchcoach import bootstrap

    raw = bootstrap.read_file(path, what="the answers file", limit=ANSWERS_MAX_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise InvalidInput(f"answers file {value!r} is not valid JSON") from None
    if isinstance(data, dict):
        codes = [q.code for q in QUESTIONS]
        unknown = sorted(set(data) - set(codes))
        missing = [c for c in codes if c not in data]
        if unknown or missing:
            raise InvalidInput(
                f"answers file {value!r} must answer exactly these questions: "
                f"{', '.join(codes)} (unknown: {unknown or 'none'}, missing: {missing or 'none'})"
            )
        data = [data[c] for c in codes]
    if not isinstance(data, list) or not all(isinstance(a, bool) for a in data):
        raise InvalidInput(
            f"answers file {value!r} must hold a list of {len(QUESTIONS)} true/false values "
            "or an object of question code to true/false"
        )
    return check_answers(data)


def ask_screen(console: Console, *, emergency_only: bool = False) -> tuple[bool | None, ...]:
    """Ask the questions in order (the emergency ones alone when re-asked); each needs y or n."""
    from rich.prompt import Confirm

    from stretchcoach.domain.safety import (
        EMERGENCY_CODES,
        QUESTIONS,
        RECHECK_INTRO,
        SCREEN_INTRO,
    )

    asked = [q for q in QUESTIONS if not emergency_only or q.code in EMERGENCY_CODES]
    intro = RECHECK_INTRO if emergency_only else SCREEN_INTRO
    console.print(f"[bold]Warning signs check[/bold] · {intro}")
    given: dict[str, bool] = {}
    for number, question in enumerate(asked, start=1):
        given[question.code] = Confirm.ask(
            f"{number}/{len(asked)} {question.text}", console=console
        )
    return tuple(given.get(q.code) for q in QUESTIONS)


def show_outcome(console: Console, outcome: ScreenOutcome, after: Verdict) -> None:
    """What the answers mean now, after what still stands (one message, from the verdict)."""
    from stretchcoach.domain.clinical.answered import after_check
    from stretchcoach.domain.safety import ACKNOWLEDGE_IN_TERMINAL

    said = after_check(outcome, after.gate)
    console.print(said.message, style="green" if said.may_start else "bold red")
    if outcome.yes:
        console.print("You said yes to:")
        for question in outcome.yes:
            console.print(f"  · {question.text}")
    if after.gate.open or after.gate.stops:
        console.print(
            "A yes stays on your record until a clinician has seen you about it. Once you "
            f"have been seen and may exercise, record it {ACKNOWLEDGE_IN_TERMINAL}.",
            style="dim",
        )
