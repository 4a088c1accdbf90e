"""One person's records as a FHIR R4 (4.0.1) Bundle of type `collection`, for a clinic's system.

The rule for what goes in lives here once; `stretchcoach export --format fhir` and a
clinician's per-patient download both call `fhir_bundle`. The result is plain JSON data.

- Patient: pseudonymous (an id and nothing else) unless a name is given.
- An Observation per pain rating: LOINC 72514-3, `valueInteger` 0-10, the moment with the
  offset of the time zone it was given in, where the pain reached as `bodySite` text (no
  SNOMED CT codes: we name places our own way and do not guess theirs).
- An Observation per finished stretching session (category `activity`), with a component per
  hold for the seconds held, one for the leg and one for what it felt like. Practice sessions
  (a try-out at speed) and a session still running are left out.
- A QuestionnaireResponse per warning-signs check: our own question texts, a yes/no answer
  per question asked.

Notes are the person's own: they go in their own export and not in a clinician's download
(services/clinic.KEPT_FROM_CLINICIAN). Visits recorded ("seen") do not travel here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

from stretchcoach.domain.feel import felt_words
from stretchcoach.domain.journal import PainContext, PainEntry, places_words
from stretchcoach.domain.safety import questions_for
from stretchcoach.domain.screening import ScreenResult
from stretchcoach.domain.session import Hold, Session
from stretchcoach.domain.values import SessionStatus, Side
from stretchcoach.services.transfer import Bundle

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json; fhirVersion=4.0"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SESSION_TEXT = "Seated hamstring stretch session"
PATIENT_NAMESPACE = uuid5(NAMESPACE_URL, "stretchcoach:patient")

CONTEXT_WORDS = {
    PainContext.BEFORE: "Rated just before a stretching session.",
    PainContext.AFTER: "Rated just after a stretching session.",
    PainContext.STANDALONE: "",
}
ENDED_WORDS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.STOPPED: "stopped early",
    SessionStatus.INTERRUPTED: "interrupted (the app closed before the end)",
}


def patient_pseudonym(user_id: str) -> str:
    """The Patient's id for a user: stable, and says nothing of the id it comes from."""
    return str(uuid5(PATIENT_NAMESPACE, user_id))


def fhir_bundle(
    records: Bundle,
    *,
    patient_id: str,
    now: datetime,
    name: str | None = None,
    notes: bool = False,
) -> dict[str, Any]:
    """The records as a FHIR R4 collection Bundle. `patient_id` is a UUID naming the person
    (see `patient_pseudonym`); `name` is put in only when given; `notes` says whether the
    person's notes go in (their own copy: yes; a clinician's: no)."""
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if name:
        patient["name"] = [{"text": name}]
    resources: list[dict[str, Any]] = [patient]
    resources += [_pain(x.record, patient_ref, notes=notes) for x in records.pain]
    holds: dict[str, list[Hold]] = {}
    for h in records.holds:
        holds.setdefault(h.record.session_id, []).append(h.record)
    resources += [
        _session(s.record, holds.get(s.record.id, []), patient_ref)
        for s in records.sessions
        if not s.record.practice and s.record.status.is_final
    ]
    resources += [_screen(x.record, patient_ref) for x in records.screens]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _moment(now, "UTC"),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def fhir_counts(bundle: dict[str, Any]) -> dict[str, int]:
    """How many pain ratings, sessions and checks a bundle from `fhir_bundle` holds."""
    counts = {"pain": 0, "session": 0, "check": 0}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "QuestionnaireResponse":
            counts["check"] += 1
        elif resource["resourceType"] == "Observation":
            counts["pain" if "valueInteger" in resource else "session"] += 1
    return counts


def _moment(moment: datetime, zone: str) -> str:
    """A FHIR dateTime in the given zone, with its offset (`2026-03-29T08:30:00+02:00`)."""
    local = moment.astimezone(ZoneInfo(zone) if zone != "UTC" else UTC)
    return local.isoformat(timespec="seconds")


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _text(text: str) -> dict[str, Any]:
    return {"text": text}


def _pain(entry: PainEntry, patient: dict[str, str], *, notes: bool) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": entry.id,
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
            "text": "Pain now, 0 (none) to 10 (worst imaginable)",
        },
        "subject": patient,
        "effectiveDateTime": _moment(entry.recorded_at, entry.time_zone),
        "valueInteger": entry.score,
    }
    if entry.sites:
        observation["bodySite"] = _text(f"Pain reaches: {places_words(entry.sites)}")
    said = [CONTEXT_WORDS[entry.context]]
    if notes and entry.note:
        said.append(entry.note)
    if any(said):
        observation["note"] = [{"text": " ".join(s for s in said if s)}]
    return observation


def _session(session: Session, holds: list[Hold], patient: dict[str, str]) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    for hold in sorted(holds, key=lambda h: h.hold_number):
        n = hold.hold_number
        components.append(
            {
                "code": _text(f"Hold {n}: seconds held"),
                "valueQuantity": {
                    "value": round(hold.held_s, 1),
                    "unit": "s",
                    "system": UCUM,
                    "code": "s",
                },
            }
        )
        components.append(
            {
                "code": _text(f"Hold {n}: leg"),
                "valueCodeableConcept": _text("left" if hold.side is Side.LEFT else "right"),
            }
        )
        if hold.felt is not None:
            components.append(
                {"code": _text(f"Hold {n}: felt"), "valueString": felt_words(hold.felt)}
            )
    period = {"start": _moment(session.started_at, session.time_zone)}
    if session.ended_at is not None:
        period["end"] = _moment(session.ended_at, session.time_zone)
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": session.id,
        "status": "final",
        "category": _category("activity", "Activity"),
        "code": _text(SESSION_TEXT),
        "subject": patient,
        "effectivePeriod": period,
        "valueString": (
            f"{ENDED_WORDS[session.status]}; {len(holds)} holds of {session.settings.hold_s:g} s "
            f"planned, {sum(h.held_s for h in holds):.0f} s held in all"
        ),
    }
    if components:
        observation["component"] = components
    return observation


def _screen(result: ScreenResult, patient: dict[str, str]) -> dict[str, Any]:
    questions = questions_for(result.version)
    items: list[dict[str, Any]] = []
    for question, answer in zip(questions, result.answers, strict=True):
        item: dict[str, Any] = {"linkId": question.code, "text": question.text}
        if answer is not None:
            item["answer"] = [{"valueBoolean": answer}]
        items.append(item)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": result.id,
        "status": "completed",
        "subject": patient,
        "authored": _moment(result.answered_at, "UTC"),
        "item": items,
    }
