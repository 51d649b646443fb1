"""Tests for app.services.demo: the demo data generator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlmodel import SQLModel, func, select

from app.context import Context
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models.audit import AuditEntry
from app.models.branch import Branch, BranchCreate
from app.models.catalogue import Acquirer, DeviceModel, FirmwareRelease
from app.models.merchant import Merchant
from app.models.meta import AppMeta
from app.models.terminal import DepositStatus, Terminal, TerminalStatus, TerminalType
from app.models.user import Actor, Role, User, UserCreate
from app.rules.accounts import password_problem
from app.rules.validation import (
    validate_merchant_no,
    validate_mobile,
    validate_resident_id,
    validate_terminal_no,
    validate_uscc,
)
from app.services.auth import sign_in
from app.services.demo import (
    DEMO_USERS,
    DemoSummary,
    generate_demo_data,
    random_password,
)
from app.services.setup import create_branch_and_admin

T = TypeVar("T", bound=SQLModel)

CUSTOMERS = 50
PASSWORD = "demo1234"


def _database(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    db.migrate()
    return db


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AFTERSALES_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def db(home: Path) -> Iterator[Database]:
    database = _database(home / "t.sqlite3")
    yield database
    database.dispose()


def _count(db: Database, model: type[SQLModel]) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def _all(db: Database, model: type[T]) -> list[T]:
    with db.session() as s:
        rows = list(s.exec(select(model)).all())
        s.expunge_all()  # keep the loaded values after the read-only unit rolls back
        return rows


def _generate(db: Database, **kwargs: object) -> DemoSummary:
    kwargs.setdefault("customers", CUSTOMERS)
    kwargs.setdefault("password", PASSWORD)
    return generate_demo_data(Context.system(db), **kwargs)  # type: ignore[arg-type]


def test_counts_on_an_empty_database(db: Database) -> None:
    summary = _generate(db, terminals_per_customer=1.5)
    assert summary.branches == 1
    assert summary.users == len(DEMO_USERS)
    assert summary.merchants == CUSTOMERS
    assert summary.terminals == round(CUSTOMERS * 1.5)
    assert summary.password == PASSWORD
    assert set(summary.usernames) == {u for u, _n, _r in DEMO_USERS}
    assert _count(db, Branch) == 1
    assert _count(db, User) == len(DEMO_USERS)
    assert _count(db, Merchant) == CUSTOMERS
    assert _count(db, Terminal) == round(CUSTOMERS * 1.5)
    branch = _all(db, Branch)[0]
    assert branch.code == "SZ01"
    assert {m.branch_id for m in _all(db, Merchant)} == {branch.id}
    with db.session() as s:
        assert s.get(AppMeta, "demo").value == "1"  # type: ignore[union-attr]
        assert s.get(AppMeta, "demo_password").value == PASSWORD  # type: ignore[union-attr]


def test_same_seed_gives_the_same_merchants(home: Path) -> None:
    def rows(name: str) -> list[tuple[str, ...]]:
        db = _database(home / name)
        try:
            _generate(db, seed=7)
            return sorted(
                (m.merchant_no, m.legal_name, m.mobile, m.uscc, m.legal_rep_id_no, m.status)
                for m in _all(db, Merchant)
            )
        finally:
            db.dispose()

    first, second = rows("a.sqlite3"), rows("b.sqlite3")
    assert first == second
    assert len(first) == CUSTOMERS


def test_every_number_passes_the_validators(db: Database) -> None:
    _generate(db)
    merchants = _all(db, Merchant)
    for m in merchants:
        assert validate_merchant_no(m.merchant_no) == m.merchant_no
        assert validate_uscc(m.uscc) == m.uscc
        assert validate_resident_id(m.legal_rep_id_no) == m.legal_rep_id_no
        assert validate_mobile(m.mobile) == m.mobile
        assert m.legal_name and m.shop_name and m.province and m.city and m.district
    assert len({m.merchant_no for m in merchants}) == len(merchants)
    terminals = _all(db, Terminal)
    models = {m.id: m for m in _all(db, DeviceModel)}
    assert {a.name for a in _all(db, Acquirer)} >= {"拉卡拉", "银联商务"}
    assert len(_all(db, FirmwareRelease)) == 3 * len(models)
    for t in terminals:
        assert validate_terminal_no(t.terminal_no) == t.terminal_no
        assert t.model_id in models and t.acquirer_id and t.firmware_version.startswith("V")
        if models[t.model_id].terminal_type == TerminalType.ESIGN:
            assert t.sim_iccid == ""
        else:
            assert len(t.sim_iccid) == 20 and t.sim_iccid.startswith("8986")
        if t.activation_date is not None:
            assert t.purchase_date is not None and t.activation_date >= t.purchase_date
        if t.status in (TerminalStatus.IN_STOCK, TerminalStatus.SCRAPPED):
            assert t.merchant_id is None and t.deposit_fen == 0
        if t.status == TerminalStatus.DEPLOYED:
            assert t.merchant_id is not None
            expected = DepositStatus.HELD if t.deposit_fen else DepositStatus.NONE
            assert t.deposit_status == expected
    assert len({t.terminal_no for t in terminals}) == len(terminals)
    assert len({t.serial_no for t in terminals}) == len(terminals)
    assert sum(t.status == TerminalStatus.DEPLOYED for t in terminals) > len(terminals) // 2


def test_demo_users_sign_in_with_the_returned_password(db: Database) -> None:
    summary = generate_demo_data(Context.system(db), customers=5)
    assert password_problem(summary.password) is None
    for username, display_name, role in DEMO_USERS:
        actor = sign_in(Context(db=db), username, summary.password)
        assert (actor.username, actor.display_name, actor.role) == (username, display_name, role)


def test_a_clerk_may_not_generate(db: Database) -> None:
    clerk = Actor(id=None, username="clerk", display_name="张丽", role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        generate_demo_data(Context(db=db, user=clerk), customers=5)
    assert _count(db, Merchant) == 0


def test_a_weak_password_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        _generate(db, password="short")
    assert "password" in info.value.fields
    assert _count(db, User) == 0


def test_running_twice_adds_merchants(db: Database) -> None:
    first = generate_demo_data(Context.system(db), customers=CUSTOMERS)
    second = generate_demo_data(Context.system(db), customers=CUSTOMERS)
    assert second.users == 0 and second.branches == 0
    assert second.password == first.password  # the stored one, still valid for the accounts
    assert _count(db, Merchant) == 2 * CUSTOMERS
    assert _count(db, Terminal) == 2 * round(CUSTOMERS * 1.5)
    assert _count(db, User) == len(DEMO_USERS)
    terminals = _all(db, Terminal)
    assert len({t.terminal_no for t in terminals}) == len(terminals)


def test_reuses_the_first_run_branch_and_admin(db: Database) -> None:
    ctx = Context.system(db)
    create_branch_and_admin(
        ctx,
        BranchCreate(code="GZ01", name="广州天河服务网点", phone="020-38881234"),
        UserCreate(username="admin", display_name="管理员", role=Role.ADMIN, password="first123"),
    )
    summary = _generate(db)
    assert summary.branches == 0
    assert "admin" not in summary.usernames and summary.users == len(DEMO_USERS) - 1
    assert [b.code for b in _all(db, Branch)] == ["GZ01"]
    assert sign_in(Context(db=db), "admin", "first123").display_name == "管理员"
    assert sign_in(Context(db=db), "tech1", PASSWORD).role == Role.TECHNICIAN


def test_audit_summary_and_user_creation_are_recorded(db: Database) -> None:
    _generate(db, customers=10, terminals_per_customer=2)
    with db.session() as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.record_type == "demo_data")).all()
        assert len(entries) == 1
        entry = entries[0]
        assert (entry.action, entry.record_id, entry.username) == ("create", "demo", "system")
        assert entry.changes == {"merchants": [None, 10], "terminals": [None, 20]}
        user_entries = s.exec(select(AuditEntry).where(AuditEntry.record_type == "app_user")).all()
        assert len(user_entries) == len(DEMO_USERS)
        assert all(e.changes["password_hash"] == [None, "***"] for e in user_entries)


def test_progress_reaches_the_total(db: Database) -> None:
    calls: list[tuple[int, int]] = []
    _generate(db, customers=20, terminals_per_customer=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (40, 40)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_random_password_meets_the_policy() -> None:
    for _i in range(50):
        password = random_password()
        assert len(password) == 10 and password.isalnum()
        assert password_problem(password) is None


def test_zero_customers_still_sets_up_users(db: Database) -> None:
    summary = _generate(db, customers=0)
    assert (summary.merchants, summary.terminals, summary.users) == (0, 0, len(DEMO_USERS))
