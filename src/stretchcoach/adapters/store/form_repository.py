"""Per-hold form metrics: one row per hold the camera watched, keyed by the hold's id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from stretchcoach.adapters.store.reads import HoldFormReads
from stretchcoach.adapters.store.tables import hold_form
from stretchcoach.adapters.store.uow import SqlRows
from stretchcoach.domain.form.metrics import Fault, HoldForm

_FAULT_COLUMNS = {fault: fault.value for fault in Fault}


class SqlHoldFormRepository(HoldFormReads):
    """Writes through SQLAlchemy Core; reads are reads.HoldFormReads."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(SqlRows(connection))
        self._c = connection

    def add(self, hold_id: str, form: HoldForm) -> None:
        row: dict[str, Any] = {
            "hold_id": hold_id,
            "good_form_s": form.good_form_s,
            "max_hip_flexion_deg": form.max_hip_flexion_deg,
            "min_knee_deg": form.min_knee_deg,
        }
        row.update({column: form.faults.get(f, 0) for f, column in _FAULT_COLUMNS.items()})
        self._c.execute(insert(hold_form).values(**row))
        if form.max_hip_flexion_deg is not None:
            from stretchcoach.adapters.store.clinic_repository import add_fold

            add_fold(self._c, hold_id, form.max_hip_flexion_deg)
