"""The global search on SQLite and PostgreSQL: what it finds, how the index follows writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from alembic import command
from sqlalchemy import insert

from app import search_index
from app.context import Context
from app.db import Database
from app.errors import PermissionDenied
from app.models.base import new_id
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import (
    Merchant,
    MerchantContactBase,
    MerchantCreate,
    MerchantFilter,
    MerchantUpdate,
)
from app.models.search import SearchKind
from app.models.terminal import TerminalCreate, TerminalFilter, TerminalUpdate
from app.models.user import Role
from app.services import catalogue, demo, merchants, search, terminals
from tests.conftest import make_user


@dataclass
class World:
    ctx: Context
    zhang: uuid.UUID  # 张三便利店, legal rep 张三, 13800138000
    screen: uuid.UUID  # 屏幕维修, legal rep 曾国藩, contact 李四 0755-26881234
    nl: uuid.UUID  # NL0000000001 / 10000001, held by 张三便利店
    px: uuid.UUID  # PXA9200002 / 10000002, in stock
    model_id: uuid.UUID


@pytest.fixture
def world(any_admin_ctx: Context) -> World:
    ctx = any_admin_ctx
    zhang = merchants.create_merchant(
        ctx,
        MerchantCreate(
            merchant_no="822584053990001", legal_name="深圳市南山区张记商行", shop_name="张三便利店",
            legal_rep="张三", mobile="13800138000",
        ),
    )
    screen = merchants.create_merchant(
        ctx,
        MerchantCreate(
            merchant_no="822584053990002", legal_name="广州天河屏幕维修部", shop_name="屏幕维修",
            legal_rep="曾国藩", mobile="13912345678",
            contacts=[MerchantContactBase(name="李四", role="店长", phone="0755-26881234")],
        ),
    )
    model_id = catalogue.create_device_model(ctx, DeviceModelCreate(brand="新大陆", model="N910")).id
    nl = terminals.create_terminal(
        ctx, TerminalCreate(serial_no="NL0000000001", terminal_no="10000001", model_id=model_id)
    )
    terminals.bind_terminal(ctx, nl.id, zhang.id, expected_version=nl.version)
    px = terminals.create_terminal(
        ctx, TerminalCreate(serial_no="pxa92-00002", terminal_no="10000002", model_id=model_id)
    )
    return World(ctx, zhang.id, screen.id, nl.id, px.id, model_id)


def _merchant_ids(ctx: Context, text: str) -> list[uuid.UUID]:
    return [h.record_id for h in search.search(ctx, text).merchants]


def _terminal_ids(ctx: Context, text: str) -> list[uuid.UUID]:
    return [h.record_id for h in search.search(ctx, text).terminals]


# --- what it finds -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["张", "张三", "zhangsan", "zs", "zhang", "ZhangSan", "张三 1380"])
def test_person_by_chinese_and_pinyin(world: World, text: str) -> None:
    assert _merchant_ids(world.ctx, text) == [world.zhang]


def test_every_reading_of_a_surname(world: World) -> None:
    assert _merchant_ids(world.ctx, "zengguofan") == [world.screen]
    assert _merchant_ids(world.ctx, "cengguofan") == [world.screen]


def test_shop_name_by_substring(world: World) -> None:
    found = search.search(world.ctx, "屏幕")
    assert [h.record_id for h in found.merchants] == [world.screen]
    assert found.merchants[0].title == "屏幕维修"
    assert _merchant_ids(world.ctx, "幕维") == [world.screen]
    assert _merchant_ids(world.ctx, "维修部") == [world.screen]
    assert _merchant_ids(world.ctx, "屏维") == []


@pytest.mark.parametrize("text", ["0013", "38001", "138 0013 8000", "13800138000"])
def test_phone_by_any_four_digits(world: World, text: str) -> None:
    assert _merchant_ids(world.ctx, text) == [world.zhang]


def test_contact_phone_and_name(world: World) -> None:
    assert _merchant_ids(world.ctx, "26881") == [world.screen]
    assert _merchant_ids(world.ctx, "李四") == [world.screen]
    assert _merchant_ids(world.ctx, "lisi") == [world.screen]


def test_merchant_no_by_prefix_and_exact_first(world: World) -> None:
    assert set(_merchant_ids(world.ctx, "8225840")) == {world.zhang, world.screen}
    found = search.search(world.ctx, "822584053990002").merchants
    assert found[0].record_id == world.screen and found[0].exact
    assert "822584053990002" in found[0].subtitle


def test_terminal_by_sn_exact_and_prefix_and_terminal_no(world: World) -> None:
    exact = search.search(world.ctx, "nl0000000001").terminals
    assert [h.record_id for h in exact] == [world.nl] and exact[0].exact
    assert exact[0].title == "NL0000000001"
    assert exact[0].subtitle == "新大陆 N910 · 10000001 · 张三便利店"
    assert _terminal_ids(world.ctx, "NL000") == [world.nl]
    assert _terminal_ids(world.ctx, "PXA92") == [world.px]
    assert _terminal_ids(world.ctx, "10000002") == [world.px]
    assert set(_terminal_ids(world.ctx, "1000000")) == {world.nl, world.px}
    in_stock = search.search(world.ctx, "pxa9200002").terminals[0]
    assert in_stock.subtitle.endswith("in stock")


def test_results_are_grouped_by_kind(world: World) -> None:
    found = search.search(world.ctx, "zs")
    assert [h.kind for h in found.merchants] == [SearchKind.MERCHANT]
    assert found.terminals == []
    assert found.text == "zs"


@pytest.mark.parametrize("text", ["", "  ", "z", "8", "-"])
def test_too_short_finds_nothing(world: World, text: str) -> None:
    found = search.search(world.ctx, text)
    assert found.merchants == [] and found.terminals == []


def test_exact_match_for_a_scanner(world: World) -> None:
    ctx = world.ctx
    hit = search.exact_match(ctx, "nl0000000001")
    assert hit is not None and hit.kind == SearchKind.TERMINAL and hit.record_id == world.nl
    hit = search.exact_match(ctx, " PXA92-00002 ")
    assert hit is not None and hit.record_id == world.px
    hit = search.exact_match(ctx, "10000002")
    assert hit is not None and hit.record_id == world.px
    hit = search.exact_match(ctx, "822584053990001")
    assert hit is not None and hit.kind == SearchKind.MERCHANT and hit.record_id == world.zhang
    for text in ("NL000", "张三", "", "8225840"):
        assert search.exact_match(ctx, text) is None, text


# --- the index follows every write ---------------------------------------------------------------


def test_an_edit_moves_the_index(world: World) -> None:
    ctx = world.ctx
    m = merchants.get_merchant(ctx, world.zhang)
    merchants.update_merchant(
        ctx, m.id, MerchantUpdate(shop_name="李记水果店", mobile="13512345678", expected_version=m.version)
    )
    assert _merchant_ids(ctx, "水果") == [world.zhang]
    assert _merchant_ids(ctx, "便利店") == []
    assert _merchant_ids(ctx, "0013") == []
    assert _merchant_ids(ctx, "51234") == [world.zhang]


def test_contacts_are_indexed_with_their_merchant(world: World) -> None:
    ctx = world.ctx
    m = merchants.get_merchant(ctx, world.screen)
    merchants.update_merchant(
        ctx,
        m.id,
        MerchantUpdate(
            contacts=[MerchantContactBase(name="王五", phone="13700001111")], expected_version=m.version
        ),
    )
    assert _merchant_ids(ctx, "wangwu") == [world.screen]
    assert _merchant_ids(ctx, "70000111") == [world.screen]
    assert _merchant_ids(ctx, "李四") == []
    assert _merchant_ids(ctx, "26881") == []


def test_terminal_no_edit_moves_the_index(world: World) -> None:
    ctx = world.ctx
    t = terminals.get_terminal(ctx, world.px)
    terminals.update_terminal(ctx, t.id, TerminalUpdate(terminal_no="20000009", expected_version=t.version))
    assert _terminal_ids(ctx, "10000002") == []
    assert _terminal_ids(ctx, "20000009") == [world.px]


def test_holder_name_in_a_terminal_title_follows_the_merchant(world: World) -> None:
    ctx = world.ctx
    m = merchants.get_merchant(ctx, world.zhang)
    merchants.update_merchant(ctx, m.id, MerchantUpdate(shop_name="张三超市", expected_version=m.version))
    assert search.search(ctx, "NL0000000001").terminals[0].subtitle.endswith("张三超市")


def test_deleted_merchant_leaves_the_index_and_a_closed_one_stays(world: World) -> None:
    ctx = world.ctx
    temp = merchants.create_merchant(ctx, MerchantCreate(merchant_no="822584053990003", legal_name="临时商户"))
    assert _merchant_ids(ctx, "临时") == [temp.id]
    merchants.delete_merchant(ctx, temp.id)
    assert _merchant_ids(ctx, "临时") == []
    assert search.exact_match(ctx, "822584053990003") is None
    m = merchants.get_merchant(ctx, world.screen)
    merchants.close_merchant(ctx, m.id, expected_version=m.version, reason="停业")
    found = search.search(ctx, "屏幕").merchants
    assert [h.record_id for h in found] == [world.screen]
    assert found[0].subtitle.endswith("closed")


def test_a_failed_write_leaves_the_index_as_it_was(world: World) -> None:
    ctx = world.ctx

    def work(session: object) -> None:
        merchants.create_merchant(
            ctx.with_session(session),  # type: ignore[arg-type]
            MerchantCreate(merchant_no="822584053990004", legal_name="回滚商行"),
        )
        assert _merchant_ids(ctx.with_session(session), "回滚") != []  # type: ignore[arg-type]
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        ctx.db.run(work, write=True)
    assert _merchant_ids(ctx, "回滚") == []


# --- who sees what, and how much it costs ----------------------------------------------------------


def test_phone_is_masked_for_a_technician(world: World) -> None:
    tech = world.ctx.as_user(make_user(world.ctx, "tech1", Role.TECHNICIAN))
    hit = search.search(tech, "张三").merchants[0]
    assert "138****8000" in hit.subtitle and "13800138000" not in hit.subtitle
    assert "13800138000" in search.search(world.ctx, "张三").merchants[0].subtitle


def test_signed_out_may_not_search(world: World) -> None:
    with pytest.raises(PermissionDenied):
        search.search(world.ctx.as_user(None), "张三")


def _statements(ctx: Context, text: str, limit: int = 8) -> tuple[int, int]:
    before = ctx.db.query_count
    found = search.search(ctx, text, limit=limit)
    return ctx.db.query_count - before, len(found.merchants) + len(found.terminals)


def test_one_search_is_a_handful_of_statements_whatever_the_hits(world: World) -> None:
    ctx = world.ctx
    few, hits = _statements(ctx, "QC00")
    assert hits == 0
    for i in range(25):
        terminals.create_terminal(
            ctx, TerminalCreate(serial_no=f"QC{i:08d}", terminal_no=f"3000{i:04d}", model_id=world.model_id)
        )
        merchants.create_merchant(
            ctx, MerchantCreate(merchant_no=f"8300000000000{i:02d}", legal_name=f"张记{i}号店")
        )
    many, hits = _statements(ctx, "QC00", limit=20)
    assert hits == 20
    # BEGIN on SQLite, the searcher's account, the index, one load per kind (the SN could be
    # exact, so terminals even without hits): the same with no hit and with twenty.
    assert many == few and many <= 5
    assert _statements(ctx, "张")[0] <= 5
    both, _hits = _statements(ctx, "zs")
    assert both <= 5


def test_limit_and_shorter_titles_first(world: World) -> None:
    ctx = world.ctx
    for i, name in enumerate(["张三丰武馆分店", "张三丰"]):
        merchants.create_merchant(ctx, MerchantCreate(merchant_no=f"83000000000000{i}", legal_name=name))
    found = search.search(ctx, "张三", limit=2).merchants
    assert [h.title for h in found] == ["张三丰", "张三便利店"]


# --- list screens use the index ------------------------------------------------------------------


def test_list_filters_use_the_index(world: World) -> None:
    ctx = world.ctx
    assert [m.id for m in merchants.list_merchants(ctx, MerchantFilter(text="zs")).items] == [world.zhang]
    assert merchants.list_merchants(ctx, MerchantFilter(text="0013")).total == 1
    assert merchants.list_merchants(ctx, MerchantFilter(text="8225")).total == 2
    assert merchants.list_merchants(ctx, MerchantFilter(text="屏幕", city="深圳市")).total == 0
    assert merchants.list_merchants(ctx, MerchantFilter(text="张")).total == 1
    assert terminals.list_terminals(ctx, TerminalFilter(text="nl-000")).total == 1
    assert terminals.list_terminals(ctx, TerminalFilter(text="1000")).total == 2
    assert terminals.list_terminals(ctx, TerminalFilter(text="P")).total == 1  # too short: LIKE


# --- bulk writes -------------------------------------------------------------------------------------


def test_demo_data_is_indexed_and_rebuild_gives_the_same(any_db: Database) -> None:
    ctx = Context.system(any_db)
    demo.generate_demo_data(ctx, customers=30, password="Demo2026pos")
    with any_db.session() as s:
        row = s.connection().execute(
            Merchant.__table__.select().limit(1)  # type: ignore[attr-defined]
        ).one()
    hits = _merchant_ids(ctx, row.shop_name)
    assert row.id in hits
    assert row.id in _merchant_ids(ctx, row.mobile[-6:])
    sn_hits = search.search(ctx, "nl").terminals + search.search(ctx, "px").terminals
    assert sn_hits
    before = {h.record_id for h in search.search(ctx, row.shop_name[:2], limit=50).merchants}
    with any_db.session(write=True) as s:
        search_index.rebuild(s)
    after = {h.record_id for h in search.search(ctx, row.shop_name[:2], limit=50).merchants}
    assert before == after and row.id in after


def test_rows_inserted_in_bulk_are_found_after_index_merchants(any_admin_ctx: Context) -> None:
    db = any_admin_ctx.db
    merchant_id = new_id()
    with db.session(write=True) as s:
        s.connection().execute(
            insert(Merchant.__table__),  # type: ignore[arg-type]
            [{
                "id": merchant_id, "merchant_no": "822584053990009", "legal_name": "批量导入商行",
                "shop_name": "", "uscc": "", "mcc": "", "legal_rep": "", "legal_rep_id_no": "",
                "contact_name": "", "mobile": "", "landline": "", "province": "", "city": "",
                "district": "", "address": "", "risk_level": "low", "status": "active", "notes": "",
                "closed_reason": "", "created_at": any_admin_ctx.now(), "updated_at": any_admin_ctx.now(),
                "version": 1,
            }],
        )
        assert _merchant_ids(any_admin_ctx.with_session(s), "批量") == []
        search_index.index_merchants(s, [merchant_id])
    assert _merchant_ids(any_admin_ctx, "批量") == [merchant_id]


def test_migration_indexes_the_rows_already_there(any_db: Database, tmp_path: object) -> None:
    ctx = Context.system(any_db)
    demo.generate_demo_data(ctx, customers=10, password="Demo2026pos")
    with any_db.schema_change() as conn:
        cfg = any_db.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert "search_key" not in any_db.table_names() and "search_doc" not in any_db.table_names()
    any_db.migrate(backup=False)
    with any_db.session() as s:
        row = s.connection().execute(
            Merchant.__table__.select().limit(1)  # type: ignore[attr-defined]
        ).one()
    assert row.id in _merchant_ids(ctx, row.legal_rep)
