"""Each person's verdict inputs kept summarised, and the second reach rule gone.

- `patient_summaries`: one row a person, the inputs of their verdict and their dashboard
  figures, written in the transaction that saves their records (adapters/store/summaries.py).
  Everyone's is built here; one missing or made by other code is built when first read.
- `pain_entries.reach_left` / `reach_right` go: the clinic averaged them by a rule of its own
  and never showed them; how far the pain reaches is the clinical core's reading of `sites`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = "0007"  # the checks and acknowledgements it reads


def upgrade() -> None:
    op.create_table(
        "patient_summaries",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_patient_summaries"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_patient_summaries_user_id_users",
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("pain_entries") as batch:
        batch.drop_column("reach_right")
        batch.drop_column("reach_left")

    from stretchcoach.adapters.store.uow import rebuild_summaries_at_upgrade

    rebuild_summaries_at_upgrade(op.get_bind())  # built now, by today's code


def downgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:
        batch.add_column(sa.Column("reach_left", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reach_right", sa.Integer(), nullable=True))
    op.drop_table("patient_summaries")
