"""Journal corrections: a rating its owner changes or takes back stays, marked corrected.

- `pain_entries.corrected_at`: when the rating was corrected (null: it stands as said);
- `pain_entries.superseded_by`: the rating that replaced it (null with `corrected_at` set:
  withdrawn). Readers take the rows never corrected, so every verdict reads the corrected
  record, while a clinician still sees what was said first and when it was changed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from stretchcoach.adapters.store.tables import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:
        batch.add_column(sa.Column("corrected_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:
        batch.drop_column("superseded_by")
        batch.drop_column("corrected_at")
