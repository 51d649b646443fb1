"""merchant region index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("merchant", schema=None) as batch_op:
        batch_op.drop_index("ix_merchant_province")
        batch_op.create_index("ix_merchant_region", ["province", "city", "district"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("merchant", schema=None) as batch_op:
        batch_op.drop_index("ix_merchant_region")
        batch_op.create_index("ix_merchant_province", ["province"], unique=False)
