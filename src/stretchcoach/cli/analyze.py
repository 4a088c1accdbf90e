"""`stretchcoach analyze VIDEO`: find every hold in a recorded video and judge its form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from stretchcoach.cli.common import print_json

if TYPE_CHECKING:
    from stretchcoach.domain.form.metrics import HoldForm
    from stretchcoach.services.analyze import VideoAnalysis
    from stretchcoach.services.form import PoseEstimator

HONESTY = (
    "Hip flexion from one camera is a trend for you and this set-up, not a clinical measurement."
)


def make_estimator() -> PoseEstimator:
    """The pose estimator for a video (the bundled MediaPipe model)."""
    from stretchcoach import bootstrap

    return bootstrap.pose_estimator(video=True)


def analyze(
    video: Path = typer.Argument(..., metavar="VIDEO", help="A video filmed from the side."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    annotate: Path | None = typer.Option(
        None,
        "--annotate",
        metavar="OUT.mp4",
        help="Also write the video with the skeleton, angles and state drawn on it.",
    ),
) -> None:
    """Find every hold in a recorded video and check its form."""
    import time

    from stretchcoach import bootstrap
    from stretchcoach.services.analyze import analyze_video

    with bootstrap.native_logs_silenced():  # FFmpeg and the model print below Python
        source = bootstrap.video_file(video)
        size = (source.width, source.height)
        sink = None
        try:
            if annotate is not None:
                sink = bootstrap.annotated_video(annotate, fps=source.fps, size=size)
            estimator = make_estimator()
            try:
                result = analyze_video(
                    source, estimator, name=video.name, timer=time.perf_counter, sink=sink
                )
            finally:
                estimator.close()
        except BaseException:
            if sink is not None:
                sink.discard()
            raise
        finally:
            source.close()
        if sink is not None:
            sink.commit()
    if as_json:
        print_json(analysis_json(video.name, result))
    else:
        _print_text(video.name, result, annotate)


def analysis_json(name: str, result: VideoAnalysis) -> dict[str, Any]:
    return {
        "video": name,
        "fps": round(result.video_fps, 3),
        "duration_s": round(result.duration_s, 3),
        "frames_read": result.frames_read,
        "frames_analysed": result.frames_analysed,
        "frames_with_person": result.frames_with_person,
        "elapsed_s": round(result.elapsed_s, 3),
        "processed_fps": round(result.processed_fps, 1),
        "view_issue": result.view_issue.value if result.view_issue is not None else None,
        "holds": [hold_json(h) for h in result.holds],
    }


def hold_json(hold: HoldForm) -> dict[str, Any]:
    from stretchcoach.domain.form.metrics import form_json

    return {**form_json(hold), "duration_s": round(hold.duration_s, 3)}


def _print_text(name: str, result: VideoAnalysis, annotate: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from stretchcoach.domain.form.coach import FAULT_LABELS

    console = Console()
    console.print(
        f"{name}: {result.duration_s:.1f} s at {result.video_fps:g} fps · "
        f"{result.frames_read} frames read, {result.frames_analysed} analysed · "
        f"{result.processed_fps:.0f} frames/s ({result.speed_vs_realtime:.1f}× real time)",
        highlight=False,
    )
    if not result.holds and result.view_issue is not None:
        from stretchcoach.domain.form.coach import FILMING_WORDS

        console.print(f"No holds found: {FILMING_WORDS[result.view_issue]}")
    elif not result.holds:
        console.print("No holds found: nobody leaned into a stretch with a leg out straight.")
    else:
        table = Table(title="Holds", title_justify="left", expand=False)
        for column in ("#", "Leg", "From", "To", "Good form", "Deepest", "Knee", "Faults"):
            table.add_column(column, justify="left" if column in ("Leg", "Faults") else "right")
        for number, h in enumerate(result.holds, start=1):
            faults = ", ".join(f"{FAULT_LABELS[f]} ×{n}" for f, n in h.faults.items()) or "none"
            table.add_row(
                str(number),
                h.side.value,
                _clock(h.start_s),
                _clock(h.end_s),
                f"{h.good_form_s:.1f} s",
                _deg(h.max_hip_flexion_deg),
                _deg(h.min_knee_deg),
                faults,
            )
        console.print(table)
        console.print(
            "Deepest: hip flexion in good form. Knee: the most it bent (180° is straight).",
            style="dim",
        )
        console.print(HONESTY, style="dim")
    if annotate is not None:
        console.print(f"Annotated video written to {annotate}", highlight=False)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes)}:{secs:04.1f}"


def _deg(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}°"
