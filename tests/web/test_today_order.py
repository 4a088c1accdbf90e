"""The Today page: what stops the stretch comes first, and nothing encouraging stands above it."""

from __future__ import annotations

import html

import httpx

from stretchcoach.domain.safety import CARE_MESSAGES, QUESTIONS, Care


def outside_the_morning(client: httpx.Client) -> None:
    body = {k: v for k, v in client.get("/api/settings").json().items() if k != "calendar_url"}
    client.put("/api/settings", json=body | {"morning_start": "05:00", "morning_end": "06:30"})


def page_text(client: httpx.Client) -> str:
    return " ".join(html.unescape(client.get("/").text).split())


def test_a_stop_comes_before_the_streak_and_no_later_stretch_is_offered(
    new_client: httpx.Client,
) -> None:
    outside_the_morning(new_client)
    yes = [q.code == "unwell" for q in QUESTIONS]
    assert new_client.post("/api/screen", json={"answers": yes}).status_code == 201

    text = page_text(new_client)

    stop = text.index(CARE_MESSAGES[Care.SAME_DAY].split(":")[0])
    assert stop < text.index("in a row") < text.index("No session until then")
    assert "later in the day" not in text and "still helps" not in text


def test_with_nothing_standing_the_later_session_note_is_plain(client: httpx.Client) -> None:
    outside_the_morning(client)

    text = page_text(client)

    assert "sessions then count toward the streak. A session later in the day is fine too." in text
    assert "helps the leg" not in text
