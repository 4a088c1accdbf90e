"""The Typer application, its commands, and the one place errors become a line and exit 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from stretchcoach import __version__
from stretchcoach.cli import accounts, analyze, camera, doctor, history, routine, serve, start
from stretchcoach.cli import log as log_cmd
from stretchcoach.cli import plot as plot_cmd
from stretchcoach.cli import remind as remind_cmd
from stretchcoach.cli import report as report_cmd
from stretchcoach.cli import screen as screen_cmd
from stretchcoach.cli import stats as stats_cmd
from stretchcoach.cli import transfer as transfer_cmd
from stretchcoach.errors import StretchcoachError

app = typer.Typer(
    name="stretchcoach",
    help="A morning coach for the seated hamstring stretch that eases sciatica. "
    "It coaches, it does not diagnose: see a clinician for anything that worries you.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("start")(start.start)
app.command("history")(history.history)
app.command("log")(log_cmd.log)
app.command("screen")(screen_cmd.screen)
app.command("stats")(stats_cmd.stats)
app.command("plot")(plot_cmd.plot)
app.command("report")(report_cmd.report)
app.command("remind")(remind_cmd.remind)
app.command("export")(transfer_cmd.export)
app.command("import")(transfer_cmd.import_)
app.add_typer(routine.app, name="routine")
app.command("doctor")(doctor.doctor)
app.command("analyze")(analyze.analyze)
app.command("serve")(serve.serve)
app.add_typer(accounts.app, name="accounts")


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Show the version and exit."),
) -> None:
    if version:
        typer.echo(f"stretchcoach {__version__}")
        raise typer.Exit()


EXIT_BAD_INPUT = 2


def run(argv: Sequence[str]) -> int:
    """Run the CLI and return its exit code; every expected error is one line on stderr."""
    command = typer.main.get_command(app)
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
