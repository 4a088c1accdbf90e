"""The account and clinic pages in Chromium at phone size: they fit, label every control,
and work from the keyboard alone. Screenshots land in test-artifacts/web/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import ARTIFACTS, PHONE, approve, browser, start_server, stop_server

pytestmark = pytest.mark.e2e
__all__ = ["browser"]  # the module's Chromium, shared with the other browser tests' helpers

UNLABELLED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')]
  .filter(el => el.tagName === 'BUTTON'
    ? !el.innerText.trim() && !el.getAttribute('aria-label')
    : el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML.slice(0, 80))"""


def check(page: Any, name: str) -> None:
    """The page fits 360 px, every control has a label, and it is saved as a screenshot."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways: {width}px"
    assert page.evaluate(UNLABELLED) == [], name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"accounts-{name}.png"), full_page=True)


def type_and_tab(page: Any, *texts: str) -> None:
    for text in texts:
        page.keyboard.type(text)
        page.keyboard.press("Tab")


def test_signing_up_inviting_and_accepting_work_by_keyboard_on_a_phone(
    browser: Any, tmp_path: Path
) -> None:
    server, base = start_server(f"sqlite:///{tmp_path / 'clinic.db'}", "--accounts")
    contexts = [
        browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=base)
        for _ in range(2)
    ]
    doctor, patient = (c.new_page() for c in contexts)
    try:
        doctor.goto("/login")
        check(doctor, "login")
        doctor.goto("/register")
        doctor.get_by_label("Your name").focus()
        type_and_tab(doctor, "Dr Ada", "ada@", "short")
        doctor.keyboard.press("Enter")  # on the radio group: submits the form
        doctor.locator("#email-error").wait_for()
        check(doctor, "register-errors")
        doctor.get_by_label("Email").fill("ada@clinic.example")
        doctor.get_by_label("Password").fill("a long enough sentence")
        doctor.get_by_label("A clinician looking after patients").check()
        doctor.get_by_role("button", name="Make my account").press("Enter")
        doctor.wait_for_url("**/clinic")
        check(doctor, "clinic-waiting")
        doctor.get_by_test_id("waiting").wait_for()
        approve(f"sqlite:///{tmp_path / 'clinic.db'}", "ada@clinic.example")
        doctor.reload()
        check(doctor, "clinic-empty")
        doctor.get_by_role("button", name="Invite a patient").press("Enter")
        link = doctor.get_by_test_id("invite-link").inner_text().strip()
        check(doctor, "invited")

        patient.goto(link)
        check(patient, "invitation")
        patient.get_by_role("link", name="Make one").press("Enter")
        patient.get_by_label("Your name").focus()
        type_and_tab(patient, "Sam", "sam@example.org", "a long enough sentence")
        patient.keyboard.press("Enter")
        patient.get_by_role("button", name="Accept and share").wait_for()
        patient.get_by_role("button", name="Accept and share").press("Enter")
        patient.wait_for_url("**/account?joined=1")
        check(patient, "account")

        doctor.goto("/clinic")
        doctor.get_by_role("link", name="Sam").press("Enter")
        doctor.get_by_label("Seconds per hold").fill("45")
        doctor.get_by_label("Seconds per hold").press("Enter")
        doctor.wait_for_url("**saved=1")
        check(doctor, "patient")
        patient.goto("/settings")  # the first visit comes first, once
        patient.get_by_role("button", name="Yes, keep my records").press("Enter")
        patient.wait_for_url("**/screen")
        patient.goto("/settings")

        assert patient.get_by_label("Seconds per hold").input_value() == "45"
    finally:
        for context in contexts:
            context.close()
        stop_server(server)


def test_a_reset_link_from_the_clinic_sets_a_new_password_on_a_phone(
    browser: Any, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from .test_browser import register

    db_url = f"sqlite:///{tmp_path / 'reset.db'}"
    server, base = start_server(db_url, "--accounts")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=base)
    page = context.new_page()
    try:
        page.goto("/register")
        register(page, "Sam", "sam@example.org")
        context.clear_cookies()  # another day: logged out, and the password forgotten
        command = ["accounts", "reset", "sam@example.org", "--url", base, "--db", db_url]
        result = subprocess.run(
            [sys.executable, "-m", "stretchcoach", *command],
            capture_output=True,
            text=True,
            timeout=60,
        )
        link = result.stdout.strip().splitlines()[-1]

        page.goto(link)
        check(page, "reset")
        page.get_by_label("New password").fill("a new long sentence")
        page.get_by_role("button", name="Set my password").press("Enter")
        page.wait_for_url("**/login?reset=1")
        check(page, "login-after-reset")
        page.get_by_label("Email").fill("sam@example.org")
        page.get_by_label("Password").fill("a new long sentence")
        page.get_by_role("button", name="Log in").press("Enter")
        page.wait_for_url(f"{base}/welcome")  # logged in: a new patient's first visit comes first
        page.goto(link)

        assert "not valid any more" in page.content()
    finally:
        context.close()
        stop_server(server)
