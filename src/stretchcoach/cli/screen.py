"""`stretchcoach screen`: the warning-signs check, asked one question at a time or scripted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stretchcoach.cli.common import DB_OPTION, open_store, print_json, settings
from stretchcoach.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from stretchcoach.domain.safety import ScreenOutcome


def screen(
    answers: str | None = typer.Option(
        None,
        "--answers",
        metavar="LIST|FILE",
        help="Answer without questions: yes/no for each of the 8 questions in order "
        "(no,no,yes,...), 'none' for no to every one, or a JSON file holding a list of "
        "8 true/false values or an object of question code to true/false.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Check for warning signs that need a doctor before stretching (every 30 days)."""
    import sys

    from rich.console import Console

    from stretchcoach.adapters.clock import SystemClock
    from stretchcoach.services.safety import answer_screen

    console = Console(highlight=False)
    given = answers_from_option(answers) if answers is not None else None
    if given is None and not sys.stdin.isatty():
        raise InvalidInput(
            "the warning-signs check needs answers: run it in a terminal, or pass "
            "--answers (for example --answers none)"
        )
    store = open_store(settings(db))  # a store that cannot record refuses before asking
    if given is None:
        given = ask_screen(console)
    screen_result, outcome = answer_screen(
        given, user_id=store.user_id, uow=store.uow, now=SystemClock().now()
    )
    if as_json:
        print_json(
            {
                "answered_at": screen_result.answered_at.isoformat(),
                "clear": outcome.clear,
                "care": outcome.care.value if outcome.care else None,
                "yes": [q.code for q in outcome.yes],
                "message": outcome.message,
            }
        )
        return
    show_outcome(console, outcome)


def answers_from_option(value: str) -> tuple[bool, ...]:
    """`--answers`: a JSON file when one is there, otherwise a yes/no list or 'none'."""
    from stretchcoach.domain.safety import QUESTIONS, check_answers, parse_answers

    path = Path(value)
    if not value.lower().endswith(".json"):
        return parse_answers(value)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"cannot read answers file {value!r}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"answers file {value!r} is not valid JSON: {error.msg}") from None
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


def ask_screen(console: Console) -> tuple[bool, ...]:
    """Ask the eight questions in order; each needs a y or an n."""
    from rich.prompt import Confirm

    from stretchcoach.domain.safety import QUESTIONS, SCREEN_INTRO

    console.print(f"[bold]Warning signs check[/bold] · {SCREEN_INTRO}")
    answers = []
    for number, question in enumerate(QUESTIONS, start=1):
        answers.append(Confirm.ask(f"{number}/{len(QUESTIONS)} {question.text}", console=console))
    return tuple(answers)


def show_outcome(console: Console, outcome: ScreenOutcome) -> None:
    from stretchcoach.domain.safety import ANSWER_IN_TERMINAL, BLOCKED_NOTE

    if outcome.clear:
        console.print(outcome.message, style="green")
        return
    console.print(outcome.message, style="bold red")
    console.print("You said yes to:")
    for question in outcome.yes:
        console.print(f"  · {question.text}")
    console.print(BLOCKED_NOTE.format(where=ANSWER_IN_TERMINAL), style="dim")
