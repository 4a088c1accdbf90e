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

    # As 0014 does: a later schema that today's readers cannot read yet leaves the building
    # to the first read, in a savepoint that undoes only this part.
    from stretchcoach.adapters.store.summaries import rebuild_everyone
    from stretchcoach.adapters.store.uow import SqlRows

    bind = op.get_bind()
    try:
        with bind.begin_nested():
            rebuild_everyone(SqlRows(bind))
    except Exception:  # any failure here only defers the building to a read
        pass


def downgrade() -> None:
    with op.batch_alter_table("patient_summaries") as batch:
        batch.drop_column("digest")
