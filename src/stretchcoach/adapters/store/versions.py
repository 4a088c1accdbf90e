"""Which migrations the schema must be at, read from the migration files themselves."""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
# A revision's parents: what it revises, and what it depends on (Alembic keeps only the
# dependent revision in the version table once both are applied).
_PARENTS = re.compile(r"^(?:down_revision|depends_on)\s*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def migration_heads() -> frozenset[str]:
    """The revisions no other migration builds on: what `alembic_version` holds when the
    schema is up to date."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text("utf-8")
        if match := _REVISION.search(source):
            revisions.add(match.group(1))
        for match in _PARENTS.finditer(source):
            parents.update(_QUOTED.findall(match.group(1)))
    return frozenset(revisions - parents)
