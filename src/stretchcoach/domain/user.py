"""The people whose data the store keeps. The terminal and local web app use one local user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

LOCAL_USER_ID = "00000000-0000-4000-8000-000000000001"


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    display_name: str
    role: Role
    created_at: datetime
