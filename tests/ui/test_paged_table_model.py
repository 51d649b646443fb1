"""The shared table model loads pages lazily and passes Qt's model tester."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from ui.shared.paged_table_model import Column, ObjectRole, PagedTableModel, SortRole

ROWS = [{"n": i, "name": f"商户{i}"} for i in range(450)]


def _model(calls: list[tuple[int, int]]) -> PagedTableModel[dict[str, object]]:
    def fetch(offset: int, limit: int) -> tuple[list[dict[str, object]], int]:
        calls.append((offset, limit))
        return ROWS[offset : offset + limit], len(ROWS)

    columns = [
        Column(lambda: "No.", lambda r: str(r["n"]), lambda r: r["n"]),
        Column(lambda: "Name", lambda r: str(r["name"])),
    ]
    return PagedTableModel(columns, fetch)


def test_loads_one_page_at_a_time(qtmodeltester: ModelTester) -> None:
    calls: list[tuple[int, int]] = []
    model = _model(calls)
    model.reload()
    assert model.rowCount() == PagedTableModel.PAGE_SIZE and model.total() == 450
    assert calls == [(0, PagedTableModel.PAGE_SIZE)]
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450 and not model.canFetchMore(QModelIndex())
    assert calls[1:] == [(200, 200), (400, 200)]
    qtmodeltester.check(model)


def test_roles_and_headers() -> None:
    model = _model([])
    model.reload()
    index = model.index(5, 0)
    assert model.data(index) == "5"
    assert model.data(index, SortRole) == 5
    assert model.data(index, ObjectRole) is ROWS[5]
    assert model.data(model.index(5, 1), SortRole) == "商户5"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
