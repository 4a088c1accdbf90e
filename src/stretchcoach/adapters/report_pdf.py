"""The clinician report as an A4 PDF (reportlab for the pages, matplotlib for the charts).

Two pages a clinician can read in a minute. Page 1: anything that needs attention, the figures
at a glance, the pain around each session and how far down each leg it reached. Page 2: the
mornings calendar, every warning-signs check in the period, what the holds felt like, and
what the figures can and cannot say. Long lists are cut to their newest rows so the report
never runs past two pages. The file is written whole or not at all (adapters.files).

Text is set in DejaVu Sans, embedded in the file: it covers Latin, Greek and Cyrillic (and
more), so a name like Ζωή or Жанна prints as itself. The font is the one matplotlib ships
(found through matplotlib's data path at run time: nothing is downloaded). A name in
another script is set in a font for that script, shaped (adapters/report_fonts.py:
Devanagari, Thai and Arabic in the Noto fonts this package ships, Chinese, Japanese and
Korean in the reader's CID fonts). A character no font has a glyph for (an emoji) is printed
as MISSING_MARK and a line under the header says which characters could not be shown, so no
one reads a blank box as a letter.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from pathlib import Path
from typing import Any

from stretchcoach.adapters.files import write_whole
from stretchcoach.adapters.plots import calendar_chart, pain_chart, reach_chart
from stretchcoach.adapters.report_fonts import (
    BOLD,
    FONT,
    MISSING_MARK,
    drawable,
    learn_clusters,
    markup,
    register_fonts,
)
from stretchcoach.domain.centralisation import DayReach, Direction
from stretchcoach.domain.clinical import GateStatus
from stretchcoach.domain.safety import Care, Severity
from stretchcoach.domain.trends import Change
from stretchcoach.domain.values import Side, signed
from stretchcoach.errors import InvalidInput
from stretchcoach.services.report import Report

MAX_SCREENS = 6
MAX_NERVE_DAYS = 10
PAIN_CHART_IN = 2.25  # chart heights on page 1, in inches, when there is room
REACH_CHART_IN = 2.05
MIN_CHART_IN = 1.45  # smaller than this a chart moves to page 2 instead
SLACK = 12  # points kept free on page 1 for the estimate's rounding
INK = "#1f2933"
MUTED = "#5f6b7a"
RULE = "#d5dbe3"
SEVERITY_COLOURS = {
    Severity.URGENT: "#b42318",
    Severity.SEE_DOCTOR: "#b54708",
    Severity.STOP: "#b42318",
    Severity.EASE_OFF: "#b54708",
    Severity.INFO: "#35506b",
}
SEVERITY_WORDS = {
    Severity.URGENT: "Urgent",
    Severity.SEE_DOCTOR: "Review",
    Severity.STOP: "Paused",
    Severity.EASE_OFF: "Watch",
    Severity.INFO: "Note",
}
CARE_WORDS = {
    Care.EMERGENCY: "emergency care advised",
    Care.SAME_DAY: "same-day review advised",
    Care.WITHIN_DAYS: "GP review within days advised",
    Care.ROUTINE: "routine review advised",
}
DIRECTION_WORDS = {
    Direction.CENTRALISING: "centralising (retreating toward the spine)",
    Direction.PERIPHERALISING: "peripheralising (spreading down the leg)",
    Direction.STABLE: "stable",
    Direction.NO_DATA: "not enough located ratings",
}


def check_path(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(
            f"cannot write the report to {str(path)!r}: the file name must end in .pdf"
        )
    return path


def write_report(report: Report, path: Path, *, patient: str | None = None) -> Path:
    """Lay out `report` as a PDF at `path` (replacing it only once the PDF is whole)."""
    check_path(path)
    return write_whole(path, render(report, patient=patient))


def render(report: Report, *, patient: str | None = None) -> bytes:
    """The PDF's bytes."""
    register_fonts()
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    margin = 15 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title="Stretch and sciatica report",
        author="stretchcoach",
        subject=f"{report.first_day:%d %b %Y} to {report.today:%d %b %Y}",
    )
    total = 2

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            margin,
            9 * mm,
            "Self-reported with stretchcoach. Not a diagnosis: read it with the person.",
        )
        canvas.drawRightString(A4[0] - margin, 9 * mm, f"Page {document.page} of {total}")
        canvas.restoreState()

    # Every page starts in the embedded font too, so the file names no other font at all.
    canvas = functools.partial(Canvas, initialFontName=FONT)
    pages = {"onFirstPage": footer, "onLaterPages": footer, "canvasmaker": canvas}
    doc.build(_story(report, patient, doc), **pages)
    if doc.page != total:  # more warnings than two pages hold: number the pages again
        total, out = doc.page, io.BytesIO()
        doc.filename = out
        doc.build(_story(report, patient, doc), **pages)
    return out.getvalue()


def showable(text: str, covered: frozenset[int]) -> tuple[str, list[str]]:
    """`text` with each character no font of the report can draw replaced by MISSING_MARK
    (an invisible joiner beside one is dropped with it); and those characters."""
    missing: list[str] = []
    shown = []
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Cf", "Mn") and _beside_missing(text, index, covered):
            continue  # a joiner or variation selector of an emoji that cannot be drawn
        if drawable(char, text, covered) or char.isspace():
            shown.append(char)
        else:
            shown.append(MISSING_MARK)
            if char not in missing:
                missing.append(char)
    return "".join(shown), missing


def _beside_missing(text: str, index: int, covered: frozenset[int]) -> bool:
    """Whether a joiner or mark at `index` sits beside a character no font can draw."""
    beside = [text[i] for i in (index - 1, index + 1) if 0 <= i < len(text)]
    return any(
        unicodedata.category(c) not in ("Cf", "Mn") and not drawable(c, text, covered)
        for c in beside
    )


def _story(report: Report, patient: str | None, doc: Any) -> list[Any]:
    """The flowables, made afresh for each build (a build uses them up)."""
    from reportlab.platypus import PageBreak

    page = _Page(report, doc.width)
    top = [*page.header(patient), *page.attention(), *page.glance()]
    room = doc.height - _height(top, doc.width) - 2 * page.heading_height() - SLACK
    pain_in, reach_in = _fit_charts(room / 72)
    first = [page.pain(pain_in)] if pain_in else []
    first += [page.reach(reach_in)] if reach_in else []
    moved = ([] if pain_in else [page.pain(PAIN_CHART_IN)]) + (
        [] if reach_in else [page.reach(REACH_CHART_IN)]
    )
    return [
        *top,
        *first,
        PageBreak(),
        *moved,  # what page 1 had no room for (many warnings): on page 2, whole
        *page.calendar(),
        *page.screens(),
        *page.nerve(),
        *page.notes(),
    ]


def _height(flowables: list[Any], width: float) -> float:
    """Roughly how tall `flowables` stand in a frame `width` wide, spaces included."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _fit_charts(room_in: float) -> tuple[float | None, float | None]:
    """Heights (inches) of the pain and reach charts in the room left on page 1; None for a
    chart that must go to page 2. Both shrink together, down to MIN_CHART_IN, before either
    moves, so page 1 keeps its charts unless the warnings are very long."""
    wanted = PAIN_CHART_IN + REACH_CHART_IN
    if room_in >= wanted:
        return PAIN_CHART_IN, REACH_CHART_IN
    if room_in >= 2 * MIN_CHART_IN:
        scale = room_in / wanted
        return PAIN_CHART_IN * scale, REACH_CHART_IN * scale
    if room_in >= MIN_CHART_IN:
        return min(room_in, PAIN_CHART_IN), None
    return None, None


class _Page:
    """The report's sections as reportlab flowables."""

    def __init__(self, report: Report, width: float) -> None:
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        self.r = report
        self.width = width
        self.covered = register_fonts()
        base = getSampleStyleSheet()
        self.title = ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName=BOLD,
            fontSize=17,
            leading=21,
            alignment=0,
            spaceAfter=2,
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=BOLD,
            fontSize=11.5,
            leading=14,
            spaceBefore=7,
            spaceAfter=3,
        )
        self.body = ParagraphStyle(
            "body", parent=base["BodyText"], fontName=FONT, fontSize=9, leading=11.6, textColor=INK
        )
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10.2)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=MUTED)
        self.label = ParagraphStyle("label", parent=self.body, fontName=BOLD)
        # what a person typed (a name, a routine's name) may need shaping: only those lines
        self.shaped = ParagraphStyle("shaped", parent=self.body, shaping=1)
        self.shaped_muted = ParagraphStyle("shaped_muted", parent=self.muted, shaping=1)

    # -- page 1 ---------------------------------------------------------------------------

    def header(self, patient: str | None) -> list[Any]:
        from reportlab.platypus import Paragraph

        r = self.r
        name, missing = showable(patient.strip() if patient else "", self.covered)
        routines, missing_too = showable(", ".join(r.dose.routines), self.covered)
        learn_clusters(name + " " + routines)
        who = markup(name, bold=True) if name else "&nbsp;" * 40
        line = (
            f"Patient: {who} &nbsp;&nbsp; {r.first_day:%d %b %Y} to {r.today:%d %b %Y} "
            f"({_days(r)}, {_esc(r.insight.time_zone)})"
        )
        made = f"Made {r.generated_at:%d %b %Y %H:%M}." + (
            f" Routine: {markup(routines)}." if routines else ""
        )
        lines = [
            Paragraph("Stretch and sciatica report", self.title),
            Paragraph(line, self.shaped),
            Paragraph(made, self.shaped_muted),
        ]
        unshown = missing + [c for c in missing_too if c not in missing]
        if unshown:
            codes = ", ".join(f"U+{ord(c):04X}" for c in unshown)
            lines.append(
                Paragraph(
                    f"{MISSING_MARK} marks a character this report's font cannot show "
                    f"({codes}); the app keeps the name as it was typed.",
                    self.muted,
                )
            )
        return lines

    def attention(self) -> list[Any]:
        from reportlab.platypus import Paragraph

        flags = self.r.insight.flags
        if not flags:
            return [
                Paragraph("Needs attention", self.h2),
                Paragraph(
                    '<font color="#1a7f37">Nothing flagged</font>: no warning sign on the '
                    "latest check, no rise in pain after the last session, no spread down a "
                    "leg, no repeated nerve symptoms.",
                    self.body,
                ),
            ]
        rows = [
            [
                Paragraph(
                    f'<font color="{SEVERITY_COLOURS[f.severity]}"><b>'
                    f"{SEVERITY_WORDS[f.severity]}</b></font>",
                    self.body,
                ),
                Paragraph(_esc(f.for_clinician), self.body),
            ]
            for f in flags
        ]
        return [Paragraph("Needs attention", self.h2), self._table(rows, [26, None])]

    def glance(self) -> list[Any]:
        from reportlab.platypus import Paragraph

        e = self.r.insight.effect
        rows = [
            ("Mornings stretched", self._mornings()),
            ("Sessions", self._sessions()),
            ("Pain (0-10)", self._trend()),
            ("Around a session", _session_effect(e.mean_change, e.sessions)),
            ("Pain reach (14 days)", self._reach_now()),
            ("Warning-signs check", self._screen_now()),
            ("Nerve symptoms in holds", self._nerve_now()),
            ("Flexibility (camera)", self._flexibility()),
        ]
        table = [[Paragraph(k, self.label), Paragraph(v, self.body)] for k, v in rows]
        return [Paragraph("At a glance", self.h2), self._table(table, [40, None])]

    def heading_height(self) -> float:
        return float(self.h2.leading + self.h2.spaceBefore + self.h2.spaceAfter)

    def pain(self, height_in: float) -> Any:
        size = (self.width / 72, height_in)
        chart = pain_chart(self.r.plot, size)
        return self._section("Pain before and after each session", chart, size)

    def reach(self, height_in: float) -> Any:
        size = (self.width / 72, height_in)
        chart = reach_chart(self.r.reach, self.r.first_day, self.r.today, size)
        return self._section("How far down each leg the pain reached", chart, size)

    # -- page 2 ---------------------------------------------------------------------------

    def calendar(self) -> list[Any]:
        png, size = calendar_chart(self.r.plot, self.width / 72)
        m = self.r.mornings
        title = f"Mornings ({self.r.insight.window}): {m.done} of {m.of_days} days"
        return [self._section(title, png, size)]

    def screens(self) -> list[Any]:
        from reportlab.platypus import Paragraph

        shown = self.r.screens[:MAX_SCREENS]
        parts: list[Any] = [Paragraph("Warning-signs checks in the period", self.h2)]
        if not shown:
            parts.append(Paragraph(self._screen_now() + ".", self.body))
            return parts
        rows = [[Paragraph("<b>Answered</b>", self.small), Paragraph("<b>Result</b>", self.small)]]
        for line in shown:
            if line.care is None:
                result = "All answered no."
            else:
                care = CARE_WORDS[line.care]
                signs = "; ".join(q.clinical for q in line.yes)
                result = f'<font color="#b42318"><b>Yes</b></font>: {_esc(signs)} ({care}).'
            rows.append(
                [
                    Paragraph(f"{line.answered_at:%d %b %Y %H:%M}", self.small),
                    Paragraph(result, self.small),
                ]
            )
        parts.append(self._table(rows, [32, None], header=True))
        if len(self.r.screens) > MAX_SCREENS:
            earlier = len(self.r.screens) - MAX_SCREENS
            parts.append(
                Paragraph(
                    f"{earlier} earlier check{'s' if earlier != 1 else ''} not shown.", self.muted
                )
            )
        return parts

    def nerve(self) -> list[Any]:
        from reportlab.platypus import Paragraph

        n = self.r.nerve
        parts: list[Any] = [Paragraph("What the holds felt like", self.h2)]
        if not n.holds_rated:
            parts.append(
                Paragraph("No hold in the period was rated (the question is optional).", self.body)
            )
            return parts
        parts.append(
            Paragraph(
                f"{n.holds_rated} holds rated: {n.pull} a mild pull behind the thigh (the aim), "
                f"{n.nothing} nothing much, <b>{n.nerve}</b> tingling, burning or shooting "
                "below the knee (read as nerve tension).",
                self.body,
            )
        )
        if n.nerve_days:
            days = ", ".join(f"{d:%d %b}" for d in n.nerve_days[:MAX_NERVE_DAYS])
            more = len(n.nerve_days) - MAX_NERVE_DAYS
            tail = f" and {more} earlier" if more > 0 else ""
            parts.append(
                Paragraph(f"Days with nerve symptoms (newest first): {days}{tail}.", self.body)
            )
        if n.repeated:
            parts.append(
                Paragraph(
                    '<font color="#b54708"><b>Repeated</b></font>: nerve symptoms in several of '
                    "the latest sessions.",
                    self.body,
                )
            )
        d = self.r.dose
        story = "; ".join(d.story[-MAX_NERVE_DAYS:]) if d.story else "unchanged in the period"
        parts.append(Paragraph(f"The dose, as it was set: {_esc(story)}.", self.body))
        if d.next_session:
            parts.append(Paragraph(f"Next session: {_esc(d.next_session)}", self.body))
        return parts

    def notes(self) -> list[Any]:
        from reportlab.platypus import Paragraph

        threshold = self.r.insight.trend.threshold
        change = (
            f"Here, the way the pain moved, that is {threshold:.1f} points from the first "
            "week's level."
            if threshold is not None
            else ""
        )
        items = [
            "Pain is the person's own 0-10 rating (Numeric Pain Rating Scale), before and after "
            "each session and at other times. The trend compares the first and last week of the "
            "period, leaving out ratings given straight after a stretch.",
            "A fall is called one most people notice when it reaches about 1 point from a start "
            "of 1-4, 2 from 5-7, 3 from 8-10, or 30% of the start (Farrar 2001; Ostelo 2008); a "
            "rise when it reaches 2 points or 30%, whichever is more, capped at what it takes to "
            "reach 9 and never under 1 point (a convention: those papers measured improvement). "
            + change,
            "Pain reach is the furthest place on the leg the person marked that day (lower back, "
            "buttock, thigh, calf, foot, big toe). Retreating toward the spine is centralisation; "
            "spreading down the leg is peripheralisation.",
            "Only sessions run in real time count; practice runs at a faster clock are left out. "
            "A morning counts when a completed session started in the person's morning window "
            f"({self.r.insight.window}).",
            "The camera's flexibility figure (hip flexion held in good form) comes from one "
            "camera: a trend for this person and set-up, not a clinical measurement.",
        ]
        return [
            Paragraph("About these figures", self.h2),
            *(Paragraph(f"• {_esc(text)}", self.small) for text in items),
        ]

    # -- the sentences --------------------------------------------------------------------

    def _mornings(self) -> str:
        r = self.r
        m, h = r.mornings, r.insight.habit
        still = " (today's morning is still to come)" if h.today_open else ""
        if not m.of_days:
            return f"No whole day in the period yet{still}."
        return (
            f"<b>{m.done} of {m.of_days}</b> days ({m.ratio:.0%}){still}; last 7 days "
            f"{h.last_7.done} of 7. Streak now {h.current_streak}, best {h.best_streak}."
        )

    def _sessions(self) -> str:
        d = self.r.dose
        if not d.sessions:
            return "None in the period."
        mean = f", held {d.mean_held_s:.0f} s on average" if d.mean_held_s is not None else ""
        dose = (
            f" Latest dose: {d.last_hold_s:.0f} s holds, {d.last_reps}."
            if d.last_hold_s is not None
            else ""
        )
        return (
            f"{d.sessions} ({d.completed} completed); {d.holds} holds, {d.full_holds} held "
            f"to the end{mean}.{dose}"
        )

    def _trend(self) -> str:
        t = self.r.insight.trend
        if t.first_week_mean is None or t.last_week_mean is None or t.difference is None:
            if t.first_day is None:
                left_out = self.r.insight.practice_ratings
                if left_out:
                    return (
                        f"No ratings in the period apart from {left_out} around practice "
                        "runs, which are left out."
                    )
                return "No ratings in the period."
            return "Fewer than two weeks of ratings: too early to compare."
        verdict = {
            Change.BETTER: '<font color="#1a7f37"><b>better</b></font>, by a change most people '
            "notice",
            Change.WORSE: '<font color="#b42318"><b>worse</b></font>, by a change most people '
            "notice",
            Change.SMALL: "a change smaller than most people notice",
            Change.TOO_EARLY: "too early to say",
        }[t.change]
        slope = f"; {signed(t.slope_per_week)} a week" if t.slope_per_week is not None else ""
        return (
            f"First week {t.first_week_mean:.1f}, last week <b>{t.last_week_mean:.1f}</b> "
            f"({signed(t.difference)}): {verdict}{slope}."
        )

    def _reach_now(self) -> str:
        parts = []
        for side in Side:
            moved = self.r.insight.centralisation[side]
            now = _latest(self.r.reach[side])
            colour = "#b42318" if moved is Direction.PERIPHERALISING else INK
            where = f", latest: {now}" if now else ""
            parts.append(
                f'{side.value.capitalize()}: <font color="{colour}">'
                f"{DIRECTION_WORDS[moved]}</font>{where}"
            )
        return ". ".join(parts) + "."

    def _screen_now(self) -> str:
        s = self.r.screen
        if s.latest is None or s.outcome is None:
            return "Never answered"
        when = f"{s.latest.counts_from.astimezone(self.r.generated_at.tzinfo):%d %b %Y}"
        standing = [e.question.clinical for e in s.gate.open]
        if standing:
            signs = "; ".join(standing)
            return f'Latest {when}; <font color="#b42318"><b>not yet seen</b></font>: {_esc(signs)}'
        seen = [e.question.clinical for e in s.gate.settled]
        if s.status is GateStatus.OVERDUE:
            state = "over 30 days ago, due again"
        elif seen:
            state = "yes answers acknowledged as seen: " + _esc("; ".join(seen))
        else:
            state = "all no"
        return f"Latest {when}: {state}"

    def _nerve_now(self) -> str:
        n = self.r.nerve
        if not n.holds_rated:
            return "No hold rated."
        days = len(n.nerve_days)
        on = f", on {days} day{'s' if days != 1 else ''}" if days else ""
        return f"{n.nerve} of {n.holds_rated} rated holds{on}."

    def _flexibility(self) -> str:
        trend = self.r.flexibility
        if not trend.points:
            return "No session watched by the camera in the period."
        parts = []
        for side in Side:
            figures = trend.figures(side)
            if not figures:
                parts.append(f"{side.value.capitalize()}: no figure")
                continue
            slope = trend.slope(side)
            per_week = f" ({signed(slope)}° a week)" if slope is not None else ""
            parts.append(
                f"{side.value.capitalize()}: {figures[0]:.0f}° to {figures[-1]:.0f}°{per_week}"
            )
        return ". ".join(parts) + f". {len(trend.points)} sessions; a trend, not a measurement."

    # -- layout helpers -------------------------------------------------------------------

    def _table(
        self, rows: list[list[Any]], widths_mm: list[float | None], header: bool = False
    ) -> Any:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import Table, TableStyle

        fixed = sum(w * mm for w in widths_mm if w is not None)
        widths = [w * mm if w is not None else self.width - fixed for w in widths_mm]
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        style = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ]
        if header:
            style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(MUTED)))
        table.setStyle(TableStyle(style))
        return table

    def _section(self, title: str, png: bytes, size: tuple[float, float]) -> Any:
        """A heading and its chart, kept on one page."""
        from reportlab.platypus import KeepTogether, Paragraph

        return KeepTogether([Paragraph(title, self.h2), self._image(png, size)])

    def _image(self, png: bytes, size: tuple[float, float]) -> Any:
        from reportlab.platypus import Image

        image = Image(io.BytesIO(png), width=size[0] * 72, height=size[1] * 72)
        image.hAlign = "LEFT"
        return image


def _session_effect(mean_change: float | None, sessions: int) -> str:
    if mean_change is None:
        return "No session rated both before and after."
    word = "session" if sessions == 1 else "sessions"
    return f"{signed(mean_change)} points on average straight after ({sessions} {word} rated)."


def _latest(series: list[DayReach]) -> str | None:
    known = [d for d in series if d.depth is not None]
    return f"{known[-1].label} ({known[-1].day:%d %b})" if known else None


def _days(r: Report) -> str:
    days = (r.today - r.first_day).days + 1
    return "1 day" if days == 1 else f"{days} days"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
