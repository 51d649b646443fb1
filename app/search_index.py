"""The search index: kept in the same transaction as every write of a merchant or a terminal.

Hooks on the application's session re-index each Merchant, MerchantContact (with its merchant)
and Terminal that was inserted, changed or deleted, before the transaction commits;
`index_merchants`, `index_terminals` and `rebuild` do the same for rows written with Core bulk
inserts.

The tokens come from app.rules.search. They are stored per database:

- SQLite: an FTS5 table `search_fts(kind, record_id, tokens)` (unicode61, prefix lists of 2 to 5
  characters), tokens joined by spaces. Its rowid comes from `search_key`, which maps a
  record to it; each kind has its own rowid range, so a query of one kind never walks another's
  hits (FTS5 seeks rowid ranges).
- PostgreSQL: `search_doc(record_id, kind, tokens tsvector)` with a GIN index. The tsvector is
  written as a literal with positions rather than through to_tsvector: the text parser's idea of a
  word depends on the server's locale, a literal does not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Boolean, Connection, ColumnElement, Table, bindparam, cast, column, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import literal, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import SQLModel

from app.models.merchant import Merchant, MerchantContact
from app.models.search import SearchKind
from app.models.terminal import Terminal
from app.rules.search import Phrase, SearchQuery, document_tokens

# Each kind's FTS5 rowids lie in [code << 40, (code + 1) << 40).
KIND_CODES: dict[SearchKind, int] = {SearchKind.MERCHANT: 1, SearchKind.TERMINAL: 2}
_SPAN = 1 << 40
_CHUNK = 500  # ids per IN (...) list
_DOC_CHUNK = 2000  # records read and tokenised at a time

# Fields whose change re-indexes the record.
MERCHANT_FIELDS = (
    "merchant_no", "legal_name", "shop_name", "legal_rep", "contact_name", "mobile", "landline",
)
CONTACT_FIELDS = ("name", "phone", "merchant_id")
TERMINAL_FIELDS = ("serial_no", "terminal_no")

SQLITE_DDL = (
    "CREATE TABLE search_key (id INTEGER PRIMARY KEY, record_id CHAR(32) NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "kind UNINDEXED, record_id UNINDEXED, tokens, tokenize='unicode61', prefix='2 3 4 5')",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_key")
POSTGRES_DDL = (
    "CREATE TABLE search_doc (record_id uuid PRIMARY KEY, kind varchar(16) NOT NULL, "
    "tokens tsvector NOT NULL)",
    "CREATE INDEX ix_search_doc_tokens ON search_doc USING gin (tokens)",
)
POSTGRES_DROP = ("DROP TABLE IF EXISTS search_doc",)

Target = Session | Connection


def _conn(target: Target) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def _is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _rowid_range(kind: SearchKind) -> tuple[int, int]:
    low = KIND_CODES[kind] * _SPAN
    return low, low + _SPAN


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _table(model: type[SQLModel]) -> Table:
    found: Table = SQLModel.metadata.tables[model.__tablename__]  # type: ignore[index]
    return found


# --- structures ----------------------------------------------------------------------------------


def create_structures(conn: Connection) -> None:
    """Create the index tables of this database's kind (empty)."""
    for statement in POSTGRES_DDL if _is_postgres(conn) else SQLITE_DDL:
        conn.exec_driver_sql(statement)


def drop_structures(conn: Connection) -> None:
    for statement in POSTGRES_DROP if _is_postgres(conn) else SQLITE_DROP:
        conn.exec_driver_sql(statement)


# --- documents -----------------------------------------------------------------------------------


def _merchant_documents(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    m, c = _table(Merchant), _table(MerchantContact)
    docs: dict[uuid.UUID, list[str]] = {}
    if not ids:
        return docs
    contacts: dict[uuid.UUID, list[tuple[str, str]]] = {}
    query = (
        select(c.c.merchant_id, c.c.name, c.c.phone)
        .where(c.c.merchant_id.in_(ids))
        .order_by(c.c.created_at, c.c.id)
    )
    for merchant_id, name, phone in conn.execute(query):
        contacts.setdefault(merchant_id, []).append((name, phone))
    rows = conn.execute(
        select(
            m.c.id, m.c.merchant_no, m.c.shop_name, m.c.legal_name, m.c.legal_rep,
            m.c.contact_name, m.c.mobile, m.c.landline,
        ).where(m.c.id.in_(ids))
    )
    for row in rows:
        people = contacts.get(row.id, [])
        docs[row.id] = document_tokens(
            names=[row.shop_name, row.legal_name, row.legal_rep, row.contact_name]
            + [name for name, _phone in people],
            numbers=[row.merchant_no],
            phones=[row.mobile, row.landline] + [phone for _name, phone in people],
        )
    return docs


def _terminal_documents(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    t = _table(Terminal)
    if not ids:
        return {}
    rows = conn.execute(select(t.c.id, t.c.serial_no, t.c.terminal_no).where(t.c.id.in_(ids)))
    return {row.id: document_tokens(numbers=[row.serial_no, row.terminal_no]) for row in rows}


_DOCUMENTS = {SearchKind.MERCHANT: _merchant_documents, SearchKind.TERMINAL: _terminal_documents}
_SOURCES: dict[SearchKind, type[SQLModel]] = {
    SearchKind.MERCHANT: Merchant,
    SearchKind.TERMINAL: Terminal,
}


# --- storage -------------------------------------------------------------------------------------


def _tsvector_literal(tokens: Sequence[str]) -> str:
    # Tokens hold only [0-9a-z] and Han characters: quoting needs no escapes. Positions start at 1.
    return " ".join(f"'{token}':{min(i, 16383)}" for i, token in enumerate(tokens, start=1))


def _store_postgres(
    conn: Connection, kind: SearchKind, docs: dict[uuid.UUID, list[str] | None]
) -> None:
    gone = [rid for rid, tokens in docs.items() if tokens is None]
    for chunk in _chunks(gone):
        conn.execute(
            text("DELETE FROM search_doc WHERE record_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": list(chunk)},
        )
    rows = [
        {"id": rid, "kind": str(kind), "doc": _tsvector_literal(tokens)}
        for rid, tokens in docs.items()
        if tokens is not None
    ]
    if rows:
        conn.execute(
            text(
                "INSERT INTO search_doc (record_id, kind, tokens) "
                "VALUES (:id, :kind, CAST(:doc AS tsvector)) "
                "ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, tokens = excluded.tokens"
            ),
            rows,
        )


def _store_sqlite(conn: Connection, kind: SearchKind, docs: dict[uuid.UUID, list[str] | None]) -> None:
    keys = {rid.hex: tokens for rid, tokens in docs.items()}
    existing: dict[str, int] = {}
    lookup = text("SELECT record_id, id FROM search_key WHERE record_id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    for chunk in _chunks(list(keys)):
        existing.update({r[0]: int(r[1]) for r in conn.execute(lookup, {"ids": list(chunk)})})
    if existing:
        conn.execute(text("DELETE FROM search_fts WHERE rowid = :r"), [{"r": r} for r in existing.values()])
    gone = [{"r": existing[h]} for h, tokens in keys.items() if tokens is None and h in existing]
    if gone:
        conn.execute(text("DELETE FROM search_key WHERE id = :r"), gone)
    new = [h for h, tokens in keys.items() if tokens is not None and h not in existing]
    if new:
        low, high = _rowid_range(kind)
        last = conn.execute(
            text("SELECT max(id) FROM search_key WHERE id >= :low AND id < :high"),
            {"low": low, "high": high},
        ).scalar()
        start = int(last) + 1 if last is not None else low + 1
        assigned = {h: start + i for i, h in enumerate(new)}
        conn.execute(
            text("INSERT INTO search_key (id, record_id) VALUES (:r, :h)"),
            [{"r": r, "h": h} for h, r in assigned.items()],
        )
        existing.update(assigned)
    rows = [
        {"r": existing[h], "kind": str(kind), "h": h, "tokens": " ".join(tokens)}
        for h, tokens in keys.items()
        if tokens is not None
    ]
    if rows:
        conn.execute(
            text("INSERT INTO search_fts (rowid, kind, record_id, tokens) VALUES (:r, :kind, :h, :tokens)"),
            rows,
        )


def _index(conn: Connection, kind: SearchKind, ids: Iterable[uuid.UUID]) -> None:
    """Re-index these records of one kind from what the database holds now; gone ones leave."""
    wanted = list(dict.fromkeys(ids))
    store = _store_postgres if _is_postgres(conn) else _store_sqlite
    for chunk in _chunks(wanted, _DOC_CHUNK):
        found = _DOCUMENTS[kind](conn, chunk)
        docs: dict[uuid.UUID, list[str] | None] = {rid: found.get(rid) for rid in chunk}
        store(conn, kind, docs)


def index_merchants(target: Target, ids: Iterable[uuid.UUID]) -> None:
    """Re-index merchants (with their contacts), e.g. after a Core bulk insert."""
    _index(_conn(target), SearchKind.MERCHANT, ids)


def index_terminals(target: Target, ids: Iterable[uuid.UUID]) -> None:
    """Re-index terminals, e.g. after a Core bulk insert."""
    _index(_conn(target), SearchKind.TERMINAL, ids)


def fill(target: Target) -> None:
    """Index every merchant and terminal into empty index tables."""
    conn = _conn(target)
    for kind, model in _SOURCES.items():
        source = _table(model)
        last: uuid.UUID | None = None
        while True:
            query = select(source.c.id).order_by(source.c.id).limit(_DOC_CHUNK)
            if last is not None:
                query = query.where(source.c.id > last)
            ids = list(conn.execute(query).scalars())
            if not ids:
                break
            _index(conn, kind, ids)
            last = ids[-1]


def rebuild(target: Target) -> None:
    """Empty the index and fill it again from every merchant and terminal."""
    conn = _conn(target)
    drop_structures(conn)
    create_structures(conn)
    fill(conn)


# --- queries -------------------------------------------------------------------------------------


def _fts5_phrase(phrase: Phrase) -> str:
    return '"' + " ".join(phrase.tokens) + '"' + ("*" if phrase.prefix else "")


def fts5_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH expression of a query."""
    return " AND ".join(
        "(" + " OR ".join(_fts5_phrase(p) for p in clause) + ")" for clause in query
    )


def _ts_phrase(phrase: Phrase) -> str:
    parts = [f"'{token}'" for token in phrase.tokens]
    if phrase.prefix:
        parts[-1] += ":*"
    return " <-> ".join(parts)


def tsquery_expression(query: SearchQuery) -> str:
    """The PostgreSQL tsquery of a query (its text form)."""
    return " & ".join("(" + " | ".join(_ts_phrase(p) for p in clause) + ")" for clause in query)


def find(
    target: Target, query: SearchQuery, kinds: Sequence[SearchKind], limit: int
) -> dict[SearchKind, list[uuid.UUID]]:
    """Up to `limit` ids per kind of the records that match, in one statement (index order)."""
    found: dict[SearchKind, list[uuid.UUID]] = {kind: [] for kind in kinds}
    if not query or not kinds:
        return found
    if isinstance(target, Session):
        apply_pending(target)  # read this transaction's own writes
    conn = _conn(target)
    params: dict[str, Any] = {"limit": limit}
    parts = []
    if _is_postgres(conn):
        params["q"] = tsquery_expression(query)
        for i, kind in enumerate(kinds):
            params[f"k{i}"] = str(kind)
            parts.append(
                f"(SELECT kind, CAST(record_id AS varchar) AS record_id FROM search_doc "
                f"WHERE kind = :k{i} AND tokens @@ CAST(:q AS tsquery) LIMIT :limit)"
            )
    else:
        params["q"] = fts5_expression(query)
        for i, kind in enumerate(kinds):
            params[f"lo{i}"], params[f"hi{i}"] = _rowid_range(kind)
            parts.append(
                "SELECT kind, record_id FROM (SELECT kind, record_id FROM search_fts "
                f"WHERE search_fts MATCH :q AND rowid >= :lo{i} AND rowid < :hi{i} LIMIT :limit)"
            )
    for kind, record_id in conn.execute(text(" UNION ALL ".join(parts)), params):
        found[SearchKind(kind)].append(uuid.UUID(record_id))
    return found


class _IndexMatch(ColumnElement[bool]):
    """`id_column IN (ids of the records of `kind` the index finds for `query`)`."""

    inherit_cache = False  # the query text is not part of a cache key
    type = Boolean()

    def __init__(self, id_column: ColumnElement[Any], kind: SearchKind, query: SearchQuery) -> None:
        self.id_column = id_column
        self.kind = kind
        self.query = query


@compiles(_IndexMatch)
def _compile_index_match(element: _IndexMatch, compiler: SQLCompiler, **kw: Any) -> str:
    if compiler.dialect.name == "postgresql":
        doc = table("search_doc", column("record_id"), column("kind"), column("tokens"))
        condition = doc.c.tokens.op("@@")(
            cast(literal(tsquery_expression(element.query)), TSQUERY)
        )
        sub = select(doc.c.record_id).where(doc.c.kind == str(element.kind), condition)
    else:
        fts = table("search_fts", column("record_id"), column("rowid"))
        low, high = _rowid_range(element.kind)
        sub = select(fts.c.record_id).where(
            literal_column("search_fts").op("MATCH")(literal(fts5_expression(element.query))),
            fts.c.rowid >= low,
            fts.c.rowid < high,
        )
    result: str = compiler.process(element.id_column.in_(sub), **kw)
    return result


def matches(id_column: Any, kind: SearchKind, query: SearchQuery) -> ColumnElement[bool]:
    """A WHERE condition: the record's id is among those the index finds for `query`."""
    return _IndexMatch(id_column, kind, query)


# --- the hook ------------------------------------------------------------------------------------
#
# A flush only notes which records changed; the index is written once per transaction, just before
# it commits (and before a search in the same transaction). An import that flushes each of 500
# rows in its own savepoint then costs a few statements per batch, not a few per row. What is
# indexed is read back from the database at that moment, so a row whose savepoint was rolled back
# is simply not found and leaves nothing behind.

_PENDING = "search_index_pending"


def _changed(obj: object, fields: Sequence[str]) -> bool:
    state = sa_inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _pending(session: Session) -> dict[SearchKind, set[uuid.UUID]]:
    found: dict[SearchKind, set[uuid.UUID]] = session.info.setdefault(
        _PENDING, {kind: set() for kind in KIND_CODES}
    )
    return found


def _note_changes(session: Session, _flush_context: UOWTransaction) -> None:
    merchants: set[uuid.UUID] = set()
    terminals: set[uuid.UUID] = set()
    for objects, check in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in objects:
            if isinstance(obj, Merchant):
                if not check or _changed(obj, MERCHANT_FIELDS):
                    merchants.add(obj.id)
            elif isinstance(obj, MerchantContact):
                if not check or _changed(obj, CONTACT_FIELDS):
                    merchants.add(obj.merchant_id)
                    history = sa_inspect(obj).attrs["merchant_id"].history
                    merchants.update(m for m in history.deleted if m is not None)
            elif isinstance(obj, Terminal):
                if not check or _changed(obj, TERMINAL_FIELDS):
                    terminals.add(obj.id)
    if merchants or terminals:
        pending = _pending(session)
        pending[SearchKind.MERCHANT] |= merchants
        pending[SearchKind.TERMINAL] |= terminals


def apply_pending(session: Session) -> None:
    """Write the index entries of the records this session changed since the last time."""
    pending: dict[SearchKind, set[uuid.UUID]] | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    if pending[SearchKind.MERCHANT]:
        index_merchants(session, sorted(pending[SearchKind.MERCHANT]))
    if pending[SearchKind.TERMINAL]:
        index_terminals(session, sorted(pending[SearchKind.TERMINAL]))


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction indexes everything at its end
    session.flush()  # commit flushes after this event; the index must see those changes too
    apply_pending(session)


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "after_flush", _note_changes)
    event.listen(session_class, "before_commit", _before_commit)
