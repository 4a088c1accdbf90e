"""services/fhir.py on its own: what goes in a bundle, from records made here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle as FhirBundle

from stretchcoach.domain.feel import Felt
from stretchcoach.domain.journal import PainContext, PainEntry, parse_sites
from stretchcoach.domain.routine import SessionSettings
from stretchcoach.domain.session import Hold, Session, new_id
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.fhir import fhir_bundle, fhir_counts, patient_pseudonym
from stretchcoach.services.transfer import Bundle, Located

AT = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # 08:30 in Paris, summer time since 02:00


def _records(status: SessionStatus = SessionStatus.STOPPED) -> Bundle:
    session = Session(
        new_id(),
        "someone",
        "seated-hamstring",
        "Seated hamstring stretch",
        AT,
        "Europe/Paris",
        SessionSettings(hold_s=30, reps_per_side=1, first_side=Side.LEFT, rest_s=10),
        status=status,
        ended_at=AT + timedelta(minutes=2),
    )
    records = Bundle()
    records.sessions = [Located(session)]
    records.holds = [
        Located(Hold(new_id(), session.id, 2, Side.RIGHT, 30, 12.0, False, AT, None)),
        Located(Hold(new_id(), session.id, 1, Side.LEFT, 30, 31.0, True, AT, Felt.PULL)),
    ]
    records.pain = [
        Located(
            PainEntry(new_id(), "someone", AT, "Europe/Paris", 5, parse_sites("right:big-toe"),
                      PainContext.STANDALONE, None, "worse after sitting")
        )
    ]  # fmt: skip
    return records


@pytest.mark.parametrize(("notes", "said"), [(True, True), (False, False)], ids=["own", "clinic"])
def test_the_persons_note_goes_in_only_their_own_copy(notes: bool, said: bool) -> None:
    data = fhir_bundle(_records(), patient_id=new_id(), now=AT, notes=notes)

    FhirBundle.model_validate(data)
    pain = data["entry"][1]["resource"]
    assert ("note" in pain) is said
    assert pain["effectiveDateTime"] == "2026-03-29T08:30:00+02:00"
    assert pain["bodySite"] == {"text": "Pain reaches: right big toe"}


def test_a_session_stopped_early_says_so_with_its_holds_in_order() -> None:
    data = fhir_bundle(_records(), patient_id=new_id(), now=AT)

    session = data["entry"][2]["resource"]
    assert session["valueString"] == "stopped early; 2 holds of 30 s planned, 43 s held in all"
    assert [c["code"]["text"] for c in session["component"]] == [
        "Hold 1: seconds held",
        "Hold 1: leg",
        "Hold 1: felt",
        "Hold 2: seconds held",
        "Hold 2: leg",  # no feel answered for hold 2: no component for it
    ]
    assert fhir_counts(data) == {"pain": 1, "session": 1, "check": 0}


def test_a_session_still_running_is_left_out() -> None:
    data = fhir_bundle(_records(SessionStatus.IN_PROGRESS), patient_id=new_id(), now=AT)

    assert fhir_counts(data) == {"pain": 1, "session": 0, "check": 0}


def test_the_pseudonym_is_stable_and_is_not_the_id() -> None:
    assert patient_pseudonym("abc") == patient_pseudonym("abc") != patient_pseudonym("abd")
    assert "abc" not in patient_pseudonym("abc")
