"""Every page of the app on a small phone, checked as a person in pain and a screen reader use
it: axe-core finds no serious or critical problem, no text is under 14 px (body text 16 px),
and at 320 px wide, also with the text at 200%, nothing scrolls sideways.

axe-core comes from npm into tests/e2e/.axe (ignored by git; scripts/test.sh installs it), and
is loaded into each page from that file: never from the network at run time.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_browser import ARTIFACTS, api, base_url, browser, pass_screen, shot

pytestmark = pytest.mark.e2e

__all__ = ["base_url", "browser"]  # fixtures used here

AXE = Path(__file__).parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONES = {"320x640": {"width": 320, "height": 640}, "360x780": {"width": 360, "height": 780}}
TERMINAL_COMMAND = re.compile(r"stretchcoach [a-z]+ ?-|stretchcoach (?:start|screen|log|serve)\b")
PATIENT_PAGES = ["/", "/session", "/journal", "/history", "/learn", "/settings", "/screen"]

# Every element with its own text, with the size it is drawn at (SVG text scaled by its chart).
TEXT_SIZES = """() => {
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest(".sr-only, [hidden], [aria-hidden=true] svg"))
      continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    let size = parseFloat(style.fontSize);
    const svg = el.closest("svg");
    if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    found.push({ text: el.textContent.trim().slice(0, 40), tag: el.tagName, size });
  }
  return found;
}"""


@pytest.fixture(params=list(PHONES), ids=list(PHONES))
def phone(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (scripts/test.sh installs it)")
    size = PHONES[request.param]
    context = browser.new_context(
        viewport=size, is_mobile=True, has_touch=True, base_url=base_url, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.size_name = request.param
    yield tab
    context.close()


def some_history(page: Any) -> None:
    """A finished session with pain before and after, so the charts have something to draw."""
    pass_screen(page)
    page.goto("/journal")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    session = page.request.post("/api/sessions", data="{}", headers=headers).json()
    for phase in session["phases"]:
        if phase["hold_number"]:
            hold = {"hold_number": phase["hold_number"], "side": phase["side"], "held_s": 30}
            page.request.put(
                f"/api/sessions/{session['id']}/holds/{uuid.uuid4()}",
                data=json.dumps(hold | {"completed": True}),
                headers=headers,
            )
    page.request.post(
        f"/api/sessions/{session['id']}/finish", data='{"status": "completed"}', headers=headers
    )
    for context, score in (("before", 6), ("after", 4)):
        body = {"score": score, "context": context, "session_id": session["id"]}
        page.request.put(f"/api/journal/{uuid.uuid4()}", data=json.dumps(body), headers=headers)
    assert len(api(page, "/api/journal")["entries"]) == 2


# axe-core's rules on headings are best practice, of moderate impact or less: asked for by name.
HEADING_RULES = ("page-has-heading-one", "heading-order", "empty-heading", "p-as-heading")


def axe_problems(page: Any, *, headings: bool = False) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now; with `headings`,
    also any finding of its heading rules."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or (headings and v["id"] in HEADING_RULES)
    ]


def test_every_patient_page_is_accessible_readable_and_free_of_terminal_commands(
    phone: Any,
) -> None:
    some_history(phone)
    found, small, body_sizes, commands = {}, {}, {}, {}
    for path in PATIENT_PAGES:
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        sizes = phone.evaluate(TEXT_SIZES)
        small[path] = [s for s in sizes if s["size"] < 13.9]
        body_sizes[path] = phone.evaluate(
            "() => parseFloat(getComputedStyle(document.body).fontSize)"
        )
        commands[path] = TERMINAL_COMMAND.findall(phone.locator("body").inner_text())
        found[path] = axe_problems(phone)
    phone.evaluate("() => document.querySelector('main').append(document.createElement('input'))")
    broken = axe_problems(phone)  # the check itself finds a known problem

    assert found == {path: [] for path in PATIENT_PAGES}
    assert small == {path: [] for path in PATIENT_PAGES}
    assert all(size >= 16 for size in body_sizes.values()), body_sizes
    assert commands == {path: [] for path in PATIENT_PAGES}
    assert any(problem.startswith("label (critical)") for problem in broken)


def test_the_session_screens_have_no_serious_accessibility_problem(phone: Any) -> None:
    pass_screen(phone)
    phone.clock.install()
    phone.goto("/session")
    phone.get_by_role("button", name="Begin").click()
    before = axe_problems(phone)
    phone.get_by_role("button", name="Skip this").click()
    phone.wait_for_selector("#run:not([hidden])")
    for _ in range(30):
        if phone.locator("#felt").is_visible():
            break
        phone.clock.run_for(1000)
    running = axe_problems(phone)

    assert (before, running) == ([], [])


def test_the_check_in_screens_are_accessible_and_fit_320_px_with_the_text_doubled(
    phone: Any,
) -> None:
    """Each step of the morning check-in, a plan and a refusal with the call button: no
    serious axe problem, nothing wider than the screen at 100 % and 200 % text."""
    pass_screen(phone)
    phone.goto("/session")
    problems, wide = {}, {}

    def look(name: str) -> None:
        problems[name] = axe_problems(phone)
        for zoom in ("200%", "100%"):
            phone.evaluate(f"() => {{ document.documentElement.style.fontSize = '{zoom}'; }}")
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            wide[f"{name} at {zoom}"] = width - phone.viewport_size["width"]
        shot(phone, f"checkin-{name}-{phone.size_name}")

    phone.get_by_role("button", name="Begin").click()
    look("pain")
    phone.get_by_role("group", name="How is the pain right now?").get_by_role(
        "button", name="6", exact=True
    ).click()
    look("where")
    phone.locator('#where input[value="left:calf"]').check()
    phone.get_by_role("button", name="Next").click()
    look("questions")
    phone.get_by_role("button", name="See today's plan").click()  # unanswered: said so
    assert phone.get_by_role("alert").inner_text().startswith("Please answer each")
    for question in ("Any new numbness", "Is a leg or foot", "Any change in peeing"):
        group = phone.get_by_role("group", name=question)
        group.get_by_label("No", exact=True).check()
    yes = phone.get_by_role("group", name="Any change in peeing")
    yes.get_by_label("Yes, peeing", exact=True).check()  # "No" goes as a yes is ticked
    assert not yes.get_by_label("No", exact=True).is_checked()
    phone.get_by_role("button", name="See today's plan").click()
    phone.wait_for_selector("#today:not([hidden])")
    assert "emergency department now" in phone.locator("#today-alarm").inner_text()
    assert phone.locator("#today-call a").is_visible()
    assert phone.get_by_role("button", name="Start the holds").is_hidden()
    look("refused")

    assert problems == {name: [] for name in problems}
    assert wide == dict.fromkeys(wide, 0)


def test_a_bladder_note_on_a_rest_day_says_go_now_at_once_in_the_journal(phone: Any) -> None:
    pass_screen(phone)
    phone.goto("/journal")
    phone.get_by_role("radio", name="4", exact=True).check()
    phone.locator("#note").fill("I can’t hold my wee anymore, leaked twice")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_selector("[data-testid=flags]")

    said = phone.get_by_test_id("flags").inner_text()
    assert "Go to an emergency department now" in said
    assert phone.get_by_test_id("call").is_visible()
    shot(phone, f"journal-bladder-note-{phone.size_name}")
    assert axe_problems(phone) == []


def test_no_page_scrolls_sideways_at_320_px_even_with_the_text_doubled(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(
        viewport=PHONES["320x640"], is_mobile=True, has_touch=True, base_url=base_url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    wide = {}
    try:
        some_history(page)
        for path in PATIENT_PAGES:
            page.goto(path)
            for zoom in ("100%", "200%"):
                page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{zoom}'; }}")
                wide[f"{path} at {zoom}"] = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                )
            name = path.strip("/") or "today"
            page.screenshot(path=str(ARTIFACTS / f"zoom200-{name}.png"), full_page=True)
    finally:
        context.close()

    assert wide == dict.fromkeys(wide, 320)


def test_the_account_and_clinic_pages_have_no_serious_problem_and_fit_320_px(
    browser: Any, tmp_path: Path
) -> None:
    from .test_browser import approve, start_server, stop_server
    from .test_shared_phone import _api_account, _log_in

    db_url = f"sqlite:///{tmp_path / 'clinic.db'}"
    server, base = start_server(db_url, "--accounts")
    long_name = "Dr Bartholomew Featherstonehaugh-Cholmondeley"
    doctor = _api_account(base, "ada@clinic.example", long_name, "clinician")
    patient = _api_account(base, "zoe@example.org", "Zoë Marchetti-Oyelaran", "patient")
    found: dict[str, list[str]] = {}
    wide: dict[str, int] = {}
    try:
        approve(db_url, "ada@clinic.example")
        code = doctor.post("/api/clinic/invitations").json()["code"]
        assert patient.post(f"/api/invitations/{code}/accept").status_code == 200
        patient_id = patient.get("/api/me").json()["id"]
        invite = doctor.post("/api/clinic/invitations").json()["code"]
        for size_name, size in PHONES.items():
            context = browser.new_context(
                viewport=size, is_mobile=True, base_url=base, bypass_csp=True
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            visits = [("/login", None), ("/register", None)]
            visits += [("/clinic", "ada"), (f"/clinic/patients/{patient_id}", "ada")]
            visits += [("/account", "ada"), (f"/invite/{invite}", "zoe"), ("/account", "zoe")]
            emails = {"ada": "ada@clinic.example", "zoe": "zoe@example.org"}
            who = None
            for path, person in visits:
                if person != who:
                    context.clear_cookies()
                    if person:
                        _log_in(page, emails[person])
                    who = person
                page.goto(path)
                key = f"{path} as {person or 'nobody'} at {size_name}"
                found[key] = axe_problems(page)
                wide[key] = page.evaluate("() => document.documentElement.scrollWidth")
                page.screenshot(
                    path=str(
                        ARTIFACTS
                        / f"account-{path.strip('/').split('/')[0]}-{person}-{size_name}.png"
                    )
                )
            context.close()
    finally:
        stop_server(server)
        doctor.close()
        patient.close()

    assert found == {key: [] for key in found}
    assert wide == {key: int(key.rsplit(" at ", 1)[1].split("x")[0]) for key in wide}
