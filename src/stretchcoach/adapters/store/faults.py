"""What a person can do when the store itself fails: damaged, read-only or full.

Plain text, shared by every way the store is opened (SQLAlchemy or the standard library's
sqlite3), so the same fault reads the same whichever opened it.
"""

from __future__ import annotations

DAMAGED = (
    ". The file is damaged: keep a copy of it as it is; `sqlite3 FILE .recover | sqlite3 "
    "NEW.db` rescues what can still be read, then use --db sqlite:///NEW.db"
)
READ_ONLY = (
    ". The database is read-only here: `history` and `export` still read it; make the file "
    "and its folder writable (or export, then import into a new one) to record again"
)
FULL = ". The disk is full: free some space, then try again; nothing stored is lost"


def fault_hint(message: str) -> str:
    """What a person can do about a damaged, read-only or full store; "" for anything else."""
    low = message.lower()
    if "malformed" in low or "not a database" in low or "disk image" in low:
        return DAMAGED
    if "readonly" in low or "read-only" in low:
        return READ_ONLY
    if "disk is full" in low or "no space left" in low or "could not extend file" in low:
        return FULL
    return ""


def described(message: str, *, file: str = "FILE") -> str:
    """The first line of a driver's message, and what to do when the store itself is damaged,
    read-only or full (`file`: the SQLite file's path).

    Damage is also remembered beside the file (integrity.note_damage), so that its next
    opening checks it in full and refuses it, whatever that command would read."""
    first = message.strip().splitlines()[0] if message.strip() else "the database failed"
    hint = fault_hint(first)
    if hint == DAMAGED:
        from stretchcoach.adapters.store.integrity import note_damage

        note_damage(file)
    return f"{first}{hint.replace('FILE', file)}"
