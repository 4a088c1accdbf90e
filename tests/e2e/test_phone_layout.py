"""The phone pages as an older person sees them, in a real Chromium against a real `serve`: at
320x640, at 360x780, and at 360x780 with the text doubled (`html { font-size: 200% }`, as a
phone's large-text setting does). In every page and every step of a session:

- what matters now is on the screen and nothing lies over it (its box is inside the window and
  `document.elementFromPoint` at its centre finds it): during holds and rests the countdown,
  the first line of the instruction and Pause, Skip and Stop; after a hold its three answers;
- nothing scrolls sideways, the tab bar is one row, there is exactly one level-one heading;
- text is at least 16 px at the normal size, and every tap target at least 48 px each way
  (a link inside a sentence excepted, as WCAG 2.5.8 does);
- axe-core finds nothing serious, and nothing at all on headings;
- by keyboard, focus moves to each new step, and each answer is within 2 Tabs of it.

One server and one browser for the file; the session runs on Playwright's clock, moved on by
the test. Screenshots of each state land in test-artifacts/web/layout/ to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .test_browser import (
    ARTIFACTS,
    OUTBOX_LENGTH,
    api,
    browser,
    check_in,
    start_server,
    stop_server,
)
from .test_phone_pages import AXE, axe_problems, some_history
from .test_phone_session import FELT_SHOWN, HOLD_RUNNING, run_until

pytestmark = pytest.mark.e2e

__all__ = ["browser"]  # fixtures used here

SIZES = {
    "320x640": ({"width": 320, "height": 640}, "100%"),
    "360x780": ({"width": 360, "height": 780}, "100%"),
    "360x780-text200": ({"width": 360, "height": 780}, "200%"),
}
SHOTS = ARTIFACTS / "layout"
CONTROLS = [("Pause", "#pause"), ("Skip", "#skip"), ("Stop", "#stop")]
ANSWERS = [
    ("A mild pull in the thigh", "#felt [data-felt=pull]"),
    ("Nothing much", "#felt [data-felt=nothing]"),
    ("Tingling or shooting below the knee", "#felt [data-felt=nerve]"),
]
COUNTDOWN = [("countdown", "#countdown"), ("instruction, first line", "#instruction")]
FIRST_LINE = {"#instruction"}  # only its first line need be in view

# What is wrong with the page as it is now: a list of plain sentences, empty when all is well.
LAYOUT_PROBLEMS = """([watched, firstLine, checkText]) => {
  const problems = [];
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const shown = (el) => el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const name = (el) => el ? `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
    ` "${(el.textContent || "").trim().slice(0, 30)}"` : "nothing";
  for (const [label, selector] of watched) {
    const el = document.querySelector(selector);
    if (!shown(el)) { problems.push(`${label}: not shown`); continue; }
    let box = el.getBoundingClientRect();
    if (firstLine.includes(selector)) {
      const range = document.createRange();
      range.selectNodeContents(el);
      box = range.getClientRects()[0] || box;
    }
    if (box.top < -0.5 || box.left < -0.5 || box.bottom > vh + 0.5 || box.right > vw + 0.5) {
      const span = `${Math.round(box.top)} to ${Math.round(box.bottom)} of ${vh}`;
      problems.push(`${label}: out of view (${span})`);
      continue;
    }
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !(hit === el || el.contains(hit)))
      problems.push(`${label}: covered by ${name(hit)}`);
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) problems.push(`scrolls sideways: ${root.scrollWidth}px`);
  const ones = [...document.querySelectorAll("h1")].filter(shown);
  if (ones.length !== 1) problems.push(`${ones.length} level-one headings: ${ones.map(name)}`);
  const tabs = document.querySelector("nav.tabs");
  if (shown(tabs)) {
    const links = [...tabs.querySelectorAll("a")];
    const rows = new Set(links.map((a) => Math.round(a.getBoundingClientRect().top)));
    if (rows.size !== 1) problems.push(`tab bar in ${rows.size} rows`);
    for (const a of links) {
      if (a.scrollWidth > a.clientWidth + 1) problems.push(`tab ${name(a)} cut off`);
    }
  }
  for (const button of document.querySelectorAll("#run .controls .button")) {
    const text = document.createRange();
    text.selectNodeContents(button);
    if (shown(button) && text.getClientRects().length > 1)
      problems.push(`control ${name(button)} broken over lines`);
  }
  const inSentence = (a) => [...a.parentElement.childNodes].some(
    (n) => n !== a && n.nodeType === 3 && n.textContent.trim());
  for (const el of document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea")) {
    if (!shown(el) || el.classList.contains("skip")) continue;
    if (el.tagName === "A" && inSentence(el)) continue;
    const label = el.closest("label");
    const target = (el.type === "checkbox" || el.type === "radio") && label && !el.closest(".pick")
      ? label : el;
    const r = target.getBoundingClientRect();
    if (r.width < 47.5 || r.height < 47.5)
      problems.push(`tap target ${name(el)} is ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  if (checkText) {
    for (const el of document.querySelectorAll("body *")) {
      if (!shown(el) || el.closest("svg, .sr-only")) continue;
      if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 15.9) problems.push(`text at ${size}px: ${name(el)}`);
    }
  }
  return problems;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el) return null;
  if (el.dataset.score) return `pain ${el.dataset.score}`;
  return el.dataset.felt || el.id || el.tagName.toLowerCase();
}"""


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the file, with a finished session and pain before and after in it."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (scripts/test.sh installs it)")
    db = tmp_path_factory.mktemp("layout") / "layout.db"
    process, base = start_server(f"sqlite:///{db}")
    context = browser.new_context(base_url=base)
    try:
        some_history(context.new_page())
    finally:
        context.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield base
    stop_server(process)


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def phone(request: pytest.FixtureRequest, browser: Any, server: str) -> Iterator[Any]:
    viewport, text = SIZES[request.param]
    context = browser.new_context(
        viewport=viewport, is_mobile=True, has_touch=True, base_url=server, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    context.add_init_script(  # the phone's text size, on every page it opens
        f"document.addEventListener('DOMContentLoaded', () => "
        f"{{ document.documentElement.style.fontSize = '{text}'; }});"
    )
    tab = context.new_page()
    tab.size_name = request.param
    tab.normal_text = text == "100%"
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


def look(
    page: Any, state: str, watched: list[tuple[str, str]], found: dict[str, list[str]]
) -> None:
    """Check the page as it is now (and take its picture) into `found[state]`."""
    page.screenshot(path=str(SHOTS / f"{state}-{page.size_name}.png"))
    problems = page.evaluate(LAYOUT_PROBLEMS, [watched, sorted(FIRST_LINE), page.normal_text])
    found[state] = problems + axe_problems(page, headings=True)


# The live regions shown now that repeat the step's title, which the focused heading says.
LIVE_REPEATS = """() => {
  const title = document.getElementById("phase-title").textContent.trim();
  return [...document.querySelectorAll("[aria-live], [role=status], [role=alert]")]
    .filter((el) => el.getClientRects().length && el.textContent.includes(title))
    .map((el) => el.id || el.tagName);
}"""


def tabs_to_each_answer(page: Any) -> dict[str, int]:
    """From where focus is now, how many Tabs until each answer has the focus."""
    reached: dict[str, int] = {}
    here = page.evaluate(FOCUSED)
    for presses in range(1, 6):
        if here in ("pull", "nothing", "nerve"):
            reached.setdefault(here, presses - 1)
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUSED)
    return reached


def test_every_page_holds_at_each_size(phone: Any) -> None:
    entry = api(phone, "/api/journal")["entries"][0]["id"]
    pages = {
        # With the text doubled, Today's streak card fills the screen: Start is one scroll on.
        "today": ("/", [("Start", "main a.start")] if phone.normal_text else []),
        "journal": ("/journal", [("pain 0", ".pain-pick .pick input")]),
        "journal-change": (f"/journal/{entry}", []),
        "history": ("/history", []),
        "learn": ("/learn", []),
        "settings": ("/settings", []),
        "screen": ("/screen", []),
        "not-found": ("/no-such-page", []),
        "session-ready": ("/session", [("Begin", "#begin")]),
    }
    found: dict[str, list[str]] = {}

    for state, (path, watched) in pages.items():
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        look(phone, state, watched, found)

    assert found == {state: [] for state in found}


def test_the_check_in_holds_at_each_size_and_names_each_leg(phone: Any) -> None:
    found: dict[str, list[str]] = {}
    phone.goto("/session")
    phone.get_by_role("button", name="Begin").click()
    pain = phone.get_by_role("group", name="How is the pain right now?")
    look(
        phone,
        "checkin-pain",
        [(f"pain {n}", f"#before [data-score='{n}']") for n in (0, 10)],
        found,
    )
    focus_on_pain = phone.evaluate(FOCUSED)
    pain.get_by_role("button", name="4", exact=True).click()
    look(phone, "checkin-where", [], found)
    boxes = phone.locator("#where .site-grid").aria_snapshot()
    phone.locator('#where input[value="right:calf"]').check()
    phone.get_by_role("button", name="Next").click()
    look(phone, "checkin-questions", [], found)
    check_in_rest = {"numb": "No", "weaker": "No", "changed": "No"}
    for name, answer in check_in_rest.items():
        phone.locator(f'#questions fieldset[data-question="{name}"]').get_by_label(
            answer, exact=True
        ).check()
    phone.get_by_role("button", name="See today's plan").click()
    phone.wait_for_selector("#today:not([hidden])")
    look(phone, "checkin-plan", [("Start the holds", "#today-start")], found)

    assert found == {state: [] for state in found}
    assert focus_on_pain == "pain 0"
    names = [line.split('"')[1] for line in boxes.splitlines() if "checkbox" in line]
    assert len(names) == 12 and len(set(names)) == 12, names
    assert all(name.endswith(("(left)", "(right)")) for name in names), names
    assert "Lower back (left)" in names and "Lower back (right)" in names


def test_a_session_keeps_its_countdown_answers_and_controls_in_view(phone: Any) -> None:
    found: dict[str, list[str]] = {}
    focus: dict[str, str | None] = {}
    page = phone
    page.clock.install()
    page.goto("/session")
    page.get_by_role("button", name="Begin").click()
    check_in(page, 0)
    page.get_by_role("button", name="Start the holds").click()
    page.wait_for_selector("#run:not([hidden])")
    focus["get ready"] = page.evaluate(FOCUSED)
    look(page, "session-get-ready", COUNTDOWN + CONTROLS, found)

    run_until(page, HOLD_RUNNING)
    focus["hold"] = page.evaluate(FOCUSED)
    heading = page.locator("#phase-h").text_content()
    repeats = page.evaluate(LIVE_REPEATS)
    look(page, "session-hold", COUNTDOWN + CONTROLS, found)
    page.get_by_role("button", name="Pause").click()
    look(page, "session-paused", [*COUNTDOWN, ("Resume", "#pause"), *CONTROLS[1:]], found)
    page.get_by_role("button", name="Resume").click()

    run_until(page, FELT_SHOWN)
    focus["felt question"] = page.evaluate(FOCUSED)
    look(page, "session-rest-felt", COUNTDOWN + ANSWERS + CONTROLS, found)
    tabs = tabs_to_each_answer(page)
    page.get_by_role("button", name="Nothing much").click()
    focus["answered"] = page.evaluate(FOCUSED)
    look(page, "session-rest-answered", COUNTDOWN + CONTROLS, found)

    page.get_by_role("button", name="Skip", exact=True).click()
    page.get_by_role("dialog").wait_for()
    look(
        page,
        "session-confirm",
        [("Carry on", "#confirm [value=no]"), ("Skip", "#confirm-yes")],
        found,
    )
    page.get_by_role("button", name="Skip this step").click()
    page.wait_for_function(f"() => {HOLD_RUNNING}")  # once the dialog has closed
    focus["skipped to hold"] = page.evaluate(FOCUSED)
    run_until(page, FELT_SHOWN)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Stop", exact=True).last.click()
    page.wait_for_selector("#done:not([hidden])")
    focus["done, a question open"] = page.evaluate(FOCUSED)
    look(page, "session-done-felt", ANSWERS, found)
    done_tabs = tabs_to_each_answer(page)
    page.get_by_role("button", name="A mild pull in the thigh").click()
    focus["done"] = page.evaluate(FOCUSED)
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    # The pain after: its question and the start of its scale (with the text doubled, the
    # scale's last row is a scroll away).
    look(
        page,
        "session-done",
        [("How is the pain now?", "#after-h"), ("0", "#after [data-score='0']")],
        found,
    )

    assert found == {state: [] for state in found}
    assert focus == {
        "get ready": "phase-h",
        "hold": "phase-h",
        "felt question": "pull",
        "answered": "phase-h",
        "skipped to hold": "phase-h",
        "done, a question open": "pull",
        "done": "done-title",
    }
    assert tabs == done_tabs == {"pull": 0, "nothing": 1, "nerve": 2}
    assert heading == "Left leg · hold 1 of 3, 30 seconds"  # said once, by the focus
    assert repeats == []
    assert api(page, "/api/sessions")["sessions"][0]["status"] == "stopped"


def test_the_camera_set_up_holds_at_each_size(phone: Any) -> None:
    found: dict[str, list[str]] = {}
    phone.goto("/session?camera=1")
    phone.get_by_role("button", name="Begin").click()
    phone.get_by_role("button", name="Skip this").click()
    phone.wait_for_selector("#setup:not([hidden])")
    phone.wait_for_function(
        "() => document.getElementById('setup-check').textContent.includes('timed without')"
    )
    look(
        phone,
        "camera-set-up",
        [
            ("title", "#setup-h"),
            ("what the camera sees", "#setup-check"),
            ("Start the holds", "#setup-start"),
        ],
        found,
    )
    # No camera here: "Start the holds" now runs them on the timer, so it is the one button.
    assert phone.locator("#setup-skip").is_hidden()
    phone.get_by_role("button", name="Start the holds").click()
    phone.get_by_role("button", name="Stop").click()
    phone.get_by_role("button", name="Stop", exact=True).last.click()
    phone.wait_for_selector("#done:not([hidden])")
    phone.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")

    assert found == {state: [] for state in found}
