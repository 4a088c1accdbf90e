"""Each kept summary names its body by a digest.

The dashboard remembers what it worked out from each patient's summary and asks the store for
the digests alone, reading again only the summaries whose digest changed. Everyone's summary
is built again here, with its digest, so the first dashboard after the upgrade does not wait.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patient_summaries") as batch:
        batch.add_column(sa.Column("digest", sa.String(32), nullable=True))

    from stretchcoach.adapters.store.uow import rebuild_summaries_at_upgrade

    rebuild_summaries_at_upgrade(op.get_bind())  # built now, with their digests


def downgrade() -> None:
    with op.batch_alter_table("patient_summaries") as batch:
        batch.drop_column("digest")
