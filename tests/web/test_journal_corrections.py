"""Correcting one's own journal on the phone and through the API: the first version stays,
marked corrected or taken back; bad ids and missing CSRF tokens change nothing."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from .conftest import assert_error, csrf_of, text_of


def _rate(client: httpx.Client, score: int, sites: list[str], note: str = "") -> str:
    response = client.post("/api/journal", json={"score": score, "sites": sites, "note": note})
    assert response.status_code == 201, response.text
    entry_id: str = response.json()["id"]
    return entry_id


def _journal(client: httpx.Client) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = client.get("/api/journal").json()
    return found


def test_a_wrong_tap_is_changed_on_its_page_and_the_first_answer_stays(
    client: httpx.Client,
) -> None:
    first = _rate(client, 9, ["left:foot"], "slipped")
    page = text_of(client.get("/journal"))
    assert f'href="/journal/{first}"' in page and "left foot" in page

    token = csrf_of(client, f"/journal/{first}")
    form = {"csrf_token": token, "score": "3", "sites": ["left:calf"], "note": "meant 3"}
    response = client.post(f"/journal/{first}", data=form)

    assert response.status_code == 303 and response.headers["location"].endswith("corrected")
    journal = _journal(client)
    [now] = journal["entries"]
    [was] = journal["corrections"]
    assert (now["score"], now["sites"], now["note"]) == (3, ["left:calf"], "meant 3")
    assert (was["id"], was["score"], was["superseded_by"]) == (first, 9, now["id"])
    assert was["corrected_at"] is not None
    shown = text_of(client.get(response.headers["location"]))
    assert "Changed. Your first answer stays" in shown and "corrected" in shown
    assert "meant 3" in shown


def test_the_edit_page_shows_the_rating_as_it_is_and_a_way_to_take_it_back(
    client: httpx.Client,
) -> None:
    entry = _rate(client, 6, ["right:thigh", "right:calf"], "long drive")

    page = client.get(f"/journal/{entry}").text

    assert 'value="6" checked' in page
    assert re.search(r'value="right:calf"\s+checked', page)
    assert "long drive</textarea>" in page
    assert f'action="/journal/{entry}/delete"' in page


def test_a_rating_taken_back_on_the_phone_no_longer_counts(client: httpx.Client) -> None:
    entry = _rate(client, 8, ["left:calf"])
    token = csrf_of(client, f"/journal/{entry}")

    response = client.post(f"/journal/{entry}/delete", data={"csrf_token": token})

    assert response.status_code == 303
    journal = _journal(client)
    assert journal["entries"] == []
    assert [(c["id"], c["superseded_by"]) for c in journal["corrections"]] == [(entry, None)]
    assert "Taken back" in text_of(client.get(response.headers["location"]))


def test_an_unchanged_correction_is_refused_next_to_the_form_and_saves_nothing(
    client: httpx.Client,
) -> None:
    entry = _rate(client, 4, [])
    token = csrf_of(client, f"/journal/{entry}")

    response = client.post(f"/journal/{entry}", data={"csrf_token": token, "score": "4"})

    assert response.status_code == 422 and "nothing to change" in text_of(response)
    assert _journal(client)["corrections"] == []


def test_the_api_corrects_a_rating_and_takes_one_back(client: httpx.Client) -> None:
    entry = _rate(client, 7, ["left:thigh"], "first")

    changed = client.patch(f"/api/journal/{entry}", json={"note": "second"})
    gone = client.delete(f"/api/journal/{changed.json()['id']}")

    assert changed.status_code == 200
    assert (changed.json()["score"], changed.json()["note"]) == (7, "second")
    assert gone.status_code == 200 and gone.json()["corrected_at"] is not None
    journal = _journal(client)
    assert journal["entries"] == []
    assert sorted(c["note"] for c in journal["corrections"]) == ["first", "second"]


def test_a_second_tap_on_the_same_change_changes_nothing_more(client: httpx.Client) -> None:
    entry = _rate(client, 7, [])

    first = client.patch(f"/api/journal/{entry}", json={"score": 5})
    again = client.patch(f"/api/journal/{entry}", json={"score": 5})
    other = client.patch(f"/api/journal/{entry}", json={"score": 2})

    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert "corrected already" in assert_error(other, 409, "conflict")
    assert [e["score"] for e in _journal(client)["entries"]] == [5]


@pytest.mark.parametrize(
    "entry_id",
    [str(uuid.uuid4()), "not-an-id", "x" * 200],
    ids=["unknown", "malformed", "too-long"],
)
def test_an_unknown_id_is_not_found_everywhere(client: httpx.Client, entry_id: str) -> None:
    token = csrf_of(client, "/journal")

    answers = [
        client.get(f"/journal/{entry_id}"),
        client.post(f"/journal/{entry_id}", data={"csrf_token": token, "score": "2"}),
        client.post(f"/journal/{entry_id}/delete", data={"csrf_token": token}),
    ]
    assert_error(client.patch(f"/api/journal/{entry_id}", json={"score": 2}), 404, "not_found")
    assert_error(client.delete(f"/api/journal/{entry_id}"), 404, "not_found")

    assert [a.status_code for a in answers] == [404, 404, 404]


def test_a_correction_without_the_csrf_token_is_refused_and_changes_nothing(
    client: httpx.Client,
) -> None:
    entry = _rate(client, 6, [])
    bare = {"X-CSRF-Token": ""}

    answers = [
        client.post(f"/journal/{entry}", data={"score": "1"}, headers=bare),
        client.post(f"/journal/{entry}/delete", headers=bare),
        client.patch(f"/api/journal/{entry}", json={"score": 1}, headers=bare),
        client.delete(f"/api/journal/{entry}", headers=bare),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert [e["score"] for e in _journal(client)["entries"]] == [6]
    assert _journal(client)["corrections"] == []


def test_a_correction_that_names_a_warning_sign_is_answered_at_once(
    client: httpx.Client,
) -> None:
    entry = _rate(client, 3, [])

    before = client.get("/api/screen").json()
    client.patch(f"/api/journal/{entry}", json={"note": "my saddle area is numb"})

    after = client.get("/api/screen").json()
    assert before["standing"] == [] and after["standing"] != []
    assert "Changed." in text_of(client.get("/journal?changed=corrected"))
