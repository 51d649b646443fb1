"""Importing merchants and terminals from spreadsheets: what a preview shows and what an import did.

No tables here: an import writes through the merchant and terminal services.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from sqlmodel import SQLModel


class ImportKind(StrEnum):
    MERCHANTS = "merchants"
    TERMINALS = "terminals"


class RowAction(StrEnum):
    NEW = "new"
    UPDATE = "update"
    ERROR = "error"


class ImportRow(SQLModel):
    """One data row of the file and what importing it does (or why it cannot be imported)."""

    row_number: int  # as the spreadsheet numbers it: the header is row 1
    action: RowAction
    key: str = ""  # merchant no. or serial no., as read
    messages: list[str] = []  # "column: reason", one per problem
    cells: list[str] = []  # the row as read, one text per column of the file


class ImportPreview(SQLModel):
    """Every row of a file checked against the database; nothing has been written yet."""

    kind: ImportKind
    path: Path
    columns: list[str]  # the file's headers, in order
    ignored_columns: list[str] = []  # headers this import does not use
    encoding: str = ""  # "UTF-8", "GB18030", "XLSX" ...
    rows: list[ImportRow]
    counts: dict[str, int]  # new / update / error

    @property
    def valid_count(self) -> int:
        return self.counts.get(RowAction.NEW, 0) + self.counts.get(RowAction.UPDATE, 0)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.action == RowAction.ERROR]


class ImportResult(SQLModel):
    """What an import wrote; rows that failed are in `error_file`, ready to fix and import again."""

    kind: ImportKind
    created: int = 0
    updated: int = 0
    failed: int = 0
    error_file: Path | None = None
    cancelled: bool = False
    errors: list[ImportRow] = []
