"""search index for the global search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

SQLite: an FTS5 table of tokens and the key table that gives each record its FTS5 rowid.
PostgreSQL: a tsvector per record with a GIN index. Both are filled for the rows already there.
"""

from collections.abc import Sequence

from alembic import op

from app import search_index

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE search_doc (record_id uuid PRIMARY KEY, kind varchar(16) NOT NULL, "
            "tokens tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_doc_tokens ON search_doc USING gin (tokens)")
    else:
        op.execute("CREATE TABLE search_key (id INTEGER PRIMARY KEY, record_id CHAR(32) NOT NULL UNIQUE)")
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "kind UNINDEXED, record_id UNINDEXED, tokens, tokenize='unicode61', prefix='2 3 4 5')"
        )
    search_index.fill(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_doc")
    else:
        op.execute("DROP TABLE search_fts")
        op.execute("DROP TABLE search_key")
