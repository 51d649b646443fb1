"""Demo data: a branch, staff accounts, merchants and terminals that look like a real service center.

Values are deterministic for a seed; dates are counted back from the context's clock. Merchants and terminals are written with Core bulk inserts in
batches, one transaction per batch, so a hundred thousand customers take seconds, not hours.
"""

from __future__ import annotations

import random
import secrets
import string
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel, col, select

from app import search_index
from app.context import Context
from app.errors import AppError, ValidationError
from app.i18n import _
from app.models.audit import AuditEntry
from app.models.base import new_id
from app.models.branch import Branch
from app.models.catalogue import Acquirer, DeviceModel, FirmwareRelease
from app.models.merchant import Merchant, MerchantStatus, RiskLevel
from app.models.meta import AppMeta
from app.models.terminal import DepositStatus, Terminal, TerminalStatus, TerminalType
from app.models.ticket import Channel, TicketPartLine, WorkAction
from app.models.user import Role, User
from app.models.warranty import (
    ContractStatus,
    ContractTerminal,
    ExclusionCause,
    ServiceContract,
    WarrantyPolicy,
    WarrantyStart,
)
from app.rules.accounts import password_problem
from app.rules.coverage import warranty_end
from app.rules.permissions import Action
from app.rules.validation import (
    FormatError,
    resident_id_check_char,
    uscc_check_char,
    validate_landline,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from app.services.base import checked
from app.services.numbering import day_number
from app.services.passwords import hash_password
from app.services.warranty import refresh_warranty_ends

Progress = Callable[[int, int], None]

BATCH_SIZE = 5000
META_DEMO = "demo"
META_DEMO_PASSWORD = "demo_password"

BRANCH_CODE = "SZ01"
BRANCH_NAME = "深圳南山服务网点"
BRANCH_ADDRESS = "广东省深圳市南山区科技园科苑南路3099号"
BRANCH_PHONE = "0755-26881234"

# (user name, display name, role)
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("admin", "王建国", Role.ADMIN),
    ("supervisor", "李秀英", Role.SUPERVISOR),
    ("clerk", "张丽", Role.CLERK),
    ("clerk2", "刘芳", Role.CLERK),
    ("tech1", "陈伟", Role.TECHNICIAN),
    ("tech2", "杨强", Role.TECHNICIAN),
    ("tech3", "赵磊", Role.TECHNICIAN),
)

# Kind of shop -> merchant category code (MCC).
SHOP_KINDS: tuple[tuple[str, str], ...] = (
    ("便利店", "5499"),
    ("超市", "5411"),
    ("餐厅", "5812"),
    ("水果店", "5499"),
    ("药房", "5912"),
    ("五金店", "5251"),
    ("烟酒行", "5921"),
    ("茶餐厅", "5812"),
    ("面馆", "5812"),
    ("理发店", "7230"),
    ("百货店", "5331"),
)
SHOP_NAME_TEMPLATES = ("{surname}记{kind}", "老{surname}{kind}", "{surname}家{kind}", "{surname}氏{kind}")

# Real districts (administrative code, province, city, district) for addresses and ID regions.
PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("440305", "广东省", "深圳市", "南山区"),
    ("440304", "广东省", "深圳市", "福田区"),
    ("440303", "广东省", "深圳市", "罗湖区"),
    ("440306", "广东省", "深圳市", "宝安区"),
    ("440307", "广东省", "深圳市", "龙岗区"),
    ("440309", "广东省", "深圳市", "龙华区"),
    ("440106", "广东省", "广州市", "天河区"),
    ("440104", "广东省", "广州市", "越秀区"),
    ("440105", "广东省", "广州市", "海珠区"),
    ("440604", "广东省", "佛山市", "禅城区"),
    ("440606", "广东省", "佛山市", "顺德区"),
    ("441302", "广东省", "惠州市", "惠城区"),
    ("440402", "广东省", "珠海市", "香洲区"),
    ("430103", "湖南省", "长沙市", "天心区"),
    ("360102", "江西省", "南昌市", "东湖区"),
    ("450103", "广西壮族自治区", "南宁市", "青秀区"),
)
AREA_CODES = {
    "深圳市": "0755", "广州市": "020", "佛山市": "0757", "惠州市": "0752", "珠海市": "0756",
    "长沙市": "0731", "南昌市": "0791", "南宁市": "0771",
}
PLACE_WEIGHTS = (20, 14, 8, 12, 10, 8, 6, 4, 4, 3, 3, 2, 2, 2, 1, 1)
STREETS = ("科苑路", "深南大道", "华强北路", "建设路", "人民路", "中山路", "解放路", "新华街", "文化路", "桃园路")

RISK_LEVELS = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)
RISK_WEIGHTS = (70, 22, 8)
MERCHANT_STATUSES = (MerchantStatus.ACTIVE, MerchantStatus.SUSPENDED, MerchantStatus.CLOSED)
MERCHANT_STATUS_WEIGHTS = (93, 4, 3)


@dataclass(frozen=True)
class TerminalModel:
    brand: str
    model: str
    terminal_type: TerminalType
    serial_prefix: str
    firmware_major: int
    list_price_fen: int = 39900
    warranty_months: int = 12


# The catalogue, with how common each model is among the terminals.
TERMINAL_MODELS: tuple[TerminalModel, ...] = (
    TerminalModel("新大陆", "N910", TerminalType.SMART, "NL", 3, 129900, 24),
    TerminalModel("百富", "A920", TerminalType.SMART, "PX", 2, 139900, 24),
    TerminalModel("联迪", "A8", TerminalType.SMART, "LD", 1, 99900, 12),
    TerminalModel("拉卡拉", "LKL-T1", TerminalType.ESIGN, "LK", 2, 29900, 12),
    TerminalModel("星驿付", "XY-E1", TerminalType.ESIGN, "XY", 1, 19900, 12),
    TerminalModel("惠尔丰", "VX520", TerminalType.TRADITIONAL, "VF", 4, 89900, 12),
    TerminalModel("新国都", "G2", TerminalType.TRADITIONAL, "XG", 2, 59900, 12),
)
TERMINAL_MODEL_WEIGHTS = (18, 16, 10, 20, 16, 8, 7)
# The demo's warranty policies, by the months of the models that carry them.
POLICY_TEXT = (
    "保修期内，在正常使用条件下出现的非人为故障，本中心免费维修或更换零部件。"
    "人为损坏、进液、私自拆机、丢失被盗及纸卷、电池等耗材不在保修范围内。"
)
DEMO_POLICIES: dict[int, tuple[str, WarrantyStart]] = {
    12: ("标准保修12个月", WarrantyStart.PURCHASE),
    24: ("智能终端保修24个月（自激活日）", WarrantyStart.ACTIVATION),
}
USUAL_EXCLUSIONS = [
    ExclusionCause.PHYSICAL_DAMAGE,
    ExclusionCause.LIQUID_DAMAGE,
    ExclusionCause.UNAUTHORISED_DISASSEMBLY,
    ExclusionCause.LOST_OR_STOLEN,
    ExclusionCause.CONSUMABLES,
]
# One merchant in this many holding terminals has a service contract.
CONTRACT_EVERY = 15
ACQUIRERS = ("拉卡拉", "银联商务", "通联支付", "盛付通", "随行付", "乐刷")
ICCID_OPERATORS = ("00", "01", "03", "11")

TERMINAL_STATUSES = (
    TerminalStatus.DEPLOYED,
    TerminalStatus.IN_STOCK,
    TerminalStatus.IN_REPAIR,
    TerminalStatus.LOST,
    TerminalStatus.RETURNED,
    TerminalStatus.SCRAPPED,
)
TERMINAL_STATUS_WEIGHTS = (85, 8, 4, 1, 1, 1)
# Statuses of a terminal a merchant holds (or held until it was lost).
HELD_STATUSES = {TerminalStatus.DEPLOYED, TerminalStatus.IN_REPAIR, TerminalStatus.LOST}
DEPOSITS_FEN = (0, 9900, 19900)
DEPOSIT_WEIGHTS = (50, 30, 20)

HISTORY_DAYS = 6 * 365

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_PASSWORD_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)  # no look-alikes: the password is read off the sign-in screen


@dataclass(frozen=True)
class DemoSummary:
    """What one generation run created, and the password of the demo accounts."""

    branches: int
    users: int
    merchants: int
    terminals: int
    password: str
    usernames: tuple[str, ...]


# --- pure helpers -------------------------------------------------------------------------------


def org_code(first8: str) -> str:
    """A GB 11714 organisation code: 8 digits plus their check character."""
    total = sum(int(c) * w for c, w in zip(first8, _ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return first8 + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, region: str) -> str:
    """A valid credit code of an enterprise (91...) registered in `region` (6 digits)."""
    first17 = "91" + region + org_code(f"{rng.randrange(10**8):08d}")
    return validate_uscc(first17 + uscc_check_char(first17))


def random_password() -> str:
    """10 random letters and digits that satisfy the password policy."""
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
        if password_problem(candidate) is None:
            return candidate


class _Numbers:
    """Sequential numbers of a fixed width that skip the ones already taken."""

    def __init__(self, width: int, start: int, taken: set[str]) -> None:
        self.width = width
        self.next_value = start % 10**width
        self.taken = taken

    def take(self, prefix: str = "") -> str:
        for _attempt in range(10**self.width):
            value = f"{prefix}{self.next_value:0{self.width}d}"
            self.next_value = (self.next_value + 1) % 10**self.width
            if value not in self.taken:
                self.taken.add(value)
                return value
        raise AppError(_("There are no free numbers left for demo data."))


def _table(model: type[SQLModel]) -> Table:
    table = SQLModel.metadata.tables[model.__tablename__]  # type: ignore[index]
    return table


def _weighted(rng: random.Random, items: Sequence[Any], weights: Sequence[int]) -> Any:
    return rng.choices(items, weights=weights)[0]


def _days_ago(rng: random.Random, today: date, most: int, least: int = 0) -> date:
    return today - timedelta(days=rng.randint(least, most))


# --- the generator ------------------------------------------------------------------------------


@dataclass
class _MerchantFacts:
    """What the terminal generator needs to know about each new merchant."""

    ids: list[uuid.UUID]
    statuses: list[MerchantStatus]
    onboarding: list[date]


class _Generator:
    def __init__(self, ctx: Context, seed: int, branch_id: uuid.UUID) -> None:
        self.ctx = ctx
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.branch_id = branch_id
        self.now: datetime = ctx.now()
        self.today = self.now.date()
        self.model_ids: dict[tuple[str, str], uuid.UUID] = {}
        self.acquirer_ids: dict[str, uuid.UUID] = {}

    def _mobile(self) -> str:
        while True:
            try:
                return validate_mobile(self.fake.phone_number())
            except FormatError:
                continue

    def _resident_id(self, region: str) -> str:
        """A valid ID number: region, a birth date between 1960 and 2000, sequence, check digit."""
        birth = date(1960, 1, 1) + timedelta(days=self.rng.randrange(40 * 365))
        first17 = f"{region}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        return validate_resident_id(first17 + resident_id_check_char(first17), self.today)

    def _base(self) -> dict[str, Any]:
        return {
            "id": new_id(),
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
            "branch_id": self.branch_id,
        }

    def merchant(self, merchant_no: str) -> dict[str, Any]:
        fake, rng = self.fake, self.rng
        legal_rep = fake.name()
        region, province, city, district = _weighted(rng, PLACES, PLACE_WEIGHTS)
        id_no = self._resident_id(rng.choice(PLACES)[0] if rng.random() < 0.4 else region)
        kind, mcc = rng.choice(SHOP_KINDS)
        shop_name = rng.choice(SHOP_NAME_TEMPLATES).format(surname=fake.last_name(), kind=kind)
        contact = legal_rep if rng.random() < 0.6 else fake.name()
        landline = ""
        if rng.random() < 0.2:
            landline = validate_landline(
                f"{AREA_CODES[city]}-{rng.randint(2, 8)}{rng.randrange(10**7):07d}"
            )
        return self._base() | {
            "merchant_no": merchant_no,
            "legal_name": fake.company(),
            "shop_name": shop_name,
            "uscc": make_uscc(rng, region),
            "mcc": mcc,
            "legal_rep": legal_rep,
            "legal_rep_id_no": id_no,
            "contact_name": contact,
            "mobile": self._mobile(),
            "landline": landline,
            "province": province,
            "city": city,
            "district": district,
            "address": f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.randint(1, 60)}号商铺",
            "risk_level": _weighted(rng, RISK_LEVELS, RISK_WEIGHTS).value,
            "status": _weighted(rng, MERCHANT_STATUSES, MERCHANT_STATUS_WEIGHTS).value,
            "onboarding_date": _days_ago(rng, self.today, HISTORY_DAYS),
            "notes": "",
            "closed_reason": "",
        }

    def terminal(
        self, serial: _Numbers, terminal_no: str, merchants: _MerchantFacts, holder: int | None
    ) -> tuple[dict[str, Any], bool]:
        """One terminal, and whether it went to `holder` (index of a merchant, if any)."""
        rng = self.rng
        spec: TerminalModel = _weighted(rng, TERMINAL_MODELS, TERMINAL_MODEL_WEIGHTS)
        status: TerminalStatus = _weighted(rng, TERMINAL_STATUSES, TERMINAL_STATUS_WEIGHTS)
        deposit: int = _weighted(rng, DEPOSITS_FEN, DEPOSIT_WEIGHTS)
        purchase = _days_ago(rng, self.today, HISTORY_DAYS, 30)
        activation_delay = rng.randint(0, 45)
        firmware = f"V{spec.firmware_major}.{rng.randint(3, 5)}.0"
        sim = ""
        if spec.terminal_type != TerminalType.ESIGN:
            sim = "8986" + rng.choice(ICCID_OPERATORS) + f"{rng.randrange(10**14):014d}"
        merchant_id: uuid.UUID | None = None
        activation: date | None = None
        used_holder = status in HELD_STATUSES and holder is not None
        if status in HELD_STATUSES and holder is not None:
            merchant_id = merchants.ids[holder]
            start = max(purchase, merchants.onboarding[holder])
            activation = min(start + timedelta(days=activation_delay), self.today)
            purchase = min(purchase, activation)
            merchant_status = merchants.statuses[holder]
            if status == TerminalStatus.DEPLOYED and merchant_status == MerchantStatus.SUSPENDED:
                status = TerminalStatus.SUSPENDED
            elif status == TerminalStatus.DEPLOYED and merchant_status == MerchantStatus.CLOSED:
                status, merchant_id = TerminalStatus.RETURNED, None
        elif status in HELD_STATUSES:  # no merchant to hold it
            status = TerminalStatus.IN_STOCK
        elif status == TerminalStatus.RETURNED:
            activation = min(purchase + timedelta(days=activation_delay), self.today)
        if status in (TerminalStatus.IN_STOCK, TerminalStatus.SCRAPPED):
            deposit = 0
        deposit_status = DepositStatus.NONE
        if deposit:
            deposit_status = {
                TerminalStatus.LOST: DepositStatus.FORFEITED,
                TerminalStatus.RETURNED: DepositStatus.REFUNDED,
            }.get(status, DepositStatus.HELD)
        row = self._base() | {
            "serial_no": serial.take(spec.serial_prefix),
            "terminal_no": terminal_no,
            "model_id": self.model_ids[(spec.brand, spec.model)],
            "acquirer_id": self.acquirer_ids[rng.choice(ACQUIRERS)],
            "sim_iccid": sim,
            "firmware_version": firmware,
            "purchase_date": purchase,
            "activation_date": activation,
            "status": status.value,
            "deposit_fen": deposit,
            "deposit_status": deposit_status.value,
            "merchant_id": merchant_id,
            "location": rng.choice(("收银台", "前台", "吧台", "柜台")) if merchant_id else "",
            "notes": "",
            "replaced_by_serial_no": "",
            "replaces_serial_no": "",
        }
        return row, used_holder


def _check_arguments(customers: int, terminals_per_customer: float, password: str | None) -> None:
    errors: dict[str, str] = {}
    if customers < 0:
        errors["customers"] = _("The number of merchants cannot be negative.")
    if terminals_per_customer < 0:
        errors["terminals_per_customer"] = _("The number of terminals per merchant cannot be negative.")
    if password is not None:
        problem = next(
            (p for p in (password_problem(password, u) for u, _n, _r in DEMO_USERS) if p), None
        )
        if problem:
            errors["password"] = problem
    if errors:
        raise ValidationError(errors)


def _existing(ctx: Context) -> tuple[set[str], str | None, set[str], set[str], set[str]]:
    """User names, stored demo password, merchant nos, serial nos and terminal nos in use."""

    def read(s: Session) -> tuple[set[str], str | None, set[str], set[str], set[str]]:
        users = set(s.exec(select(User.username)).all())
        stored = s.get(AppMeta, META_DEMO_PASSWORD)
        merchant_nos = set(s.exec(select(Merchant.merchant_no)).all())
        serials = set(s.exec(select(Terminal.serial_no)).all())
        terminal_nos = set(s.exec(select(Terminal.terminal_no)).all())
        return users, stored.value if stored else None, merchant_nos, serials, terminal_nos

    return ctx.db.run(read, write=False)


def _run_write(ctx: Context, work: Callable[[Session], Any]) -> Any:
    user = ctx.user
    return ctx.db.run(
        work,
        write=True,
        user_id=user.id if user else None,
        username=user.username if user else "",
        clock=ctx.clock,
    )


def _set_meta(s: Session, key: str, value: str) -> None:
    row = s.get(AppMeta, key)
    if row is None:
        row = AppMeta(key=key, value=value)
    row.value = value
    s.add(row)


def _setup_branch_and_users(
    ctx: Context, password: str, password_hash: str | None, store_password: bool
) -> tuple[uuid.UUID, int, list[str]]:
    """Reuse the first branch or create one; add the missing demo users; mark the database."""

    def work(s: Session) -> tuple[uuid.UUID, int, list[str]]:
        branch = s.exec(select(Branch).order_by(col(Branch.created_at))).first()
        branches = 0
        if branch is None:
            branch = Branch(
                code=BRANCH_CODE,
                name=BRANCH_NAME,
                address=BRANCH_ADDRESS,
                phone=validate_landline(BRANCH_PHONE),
            )
            branch.branch_id = branch.id
            s.add(branch)
            s.flush()
            branches = 1
        taken = set(s.exec(select(User.username)).all())
        created: list[str] = []
        for username, display_name, role in DEMO_USERS:
            if username in taken:
                continue
            assert password_hash is not None
            s.add(
                User(
                    username=username,
                    display_name=display_name,
                    role=role,
                    password_hash=password_hash,
                    branch_id=branch.id,
                )
            )
            created.append(username)
        _ensure_catalogue(s, branch.id, ctx.now().date())
        _set_meta(s, META_DEMO, "1")
        if store_password or created:
            _set_meta(s, META_DEMO_PASSWORD, password)
        s.flush()
        return branch.id, branches, created

    result: tuple[uuid.UUID, int, list[str]] = _run_write(ctx, work)
    return result


def _ensure_catalogue(s: Session, branch_id: uuid.UUID, today: date) -> None:
    """The demo's models, acquirers and firmware releases, added where missing."""
    policies = {p.name: p for p in s.exec(select(WarrantyPolicy))}
    policy_ids: dict[int, uuid.UUID] = {}
    for months, (name, start_event) in DEMO_POLICIES.items():
        policy = policies.get(name)
        if policy is None:
            policy = WarrantyPolicy(
                name=name,
                months=months,
                start_event=start_event,
                covers_onsite=months > 12,
                exclusions=USUAL_EXCLUSIONS,
                document_text=POLICY_TEXT,
                branch_id=branch_id,
            )
            s.add(policy)
            s.flush()
        policy_ids[months] = policy.id
    models = {(m.brand, m.model): m for m in s.exec(select(DeviceModel))}
    for spec in TERMINAL_MODELS:
        row = models.get((spec.brand, spec.model))
        if row is not None:
            continue
        row = DeviceModel(
            brand=spec.brand,
            model=spec.model,
            terminal_type=spec.terminal_type,
            list_price_fen=spec.list_price_fen,
            warranty_policy_id=policy_ids[spec.warranty_months],
            branch_id=branch_id,
        )
        s.add(row)
        s.flush()
        # Two older releases and the newest, which is mandatory.
        for minor, days_ago, mandatory in ((3, 700, False), (4, 300, False), (5, 60, True)):
            s.add(
                FirmwareRelease(
                    model_id=row.id,
                    firmware_version=f"V{spec.firmware_major}.{minor}.0",
                    release_date=today - timedelta(days=days_ago),
                    mandatory=mandatory,
                    branch_id=branch_id,
                )
            )
    names = set(s.exec(select(Acquirer.name)))
    for name in ACQUIRERS:
        if name not in names:
            s.add(Acquirer(name=name, branch_id=branch_id))
    s.flush()


def _demo_contracts(
    ctx: Context,
    rng: random.Random,
    holdings: dict[uuid.UUID, list[uuid.UUID]],
    branch_id: uuid.UUID,
) -> None:
    """Service contracts for some merchants: running, ending soon, ended, terminated, drafts."""
    today = ctx.now().date()
    for merchant_id, terminal_ids in holdings.items():
        if rng.randrange(CONTRACT_EVERY):
            continue
        start = today - timedelta(days=rng.randint(-20, 700))
        end = warranty_end(start, 12) or start
        status = ContractStatus.DRAFT if start > today else ContractStatus.ACTIVE
        terminated_on: date | None = None
        if status == ContractStatus.ACTIVE and rng.random() < 0.05:
            status = ContractStatus.TERMINATED
            terminated_on = min(start + timedelta(days=rng.randint(30, 300)), end)
        whole = rng.random() < 0.5
        response = rng.choice((4, 8, 24))
        contract = ServiceContract(
            contract_no=day_number(ctx, "HT", start),
            merchant_id=merchant_id,
            all_terminals=whole,
            start_date=start,
            end_date=end,
            response_hours=response,
            resolution_hours=response * rng.choice((3, 6)),
            working_hours_only=rng.random() < 0.7,
            covers_replacement=rng.random() < 0.3,
            exclusions=USUAL_EXCLUSIONS,
            fee_fen=rng.choice((30000, 50000, 80000)) * len(terminal_ids),
            status=status,
            terminated_on=terminated_on,
            termination_reason="商户关店" if terminated_on else "",
            branch_id=branch_id,
        )
        ctx.s.add(contract)
        ctx.s.flush()
        if not whole:
            for terminal_id in terminal_ids:
                ctx.s.add(ContractTerminal(contract_id=contract.id, terminal_id=terminal_id))
    ctx.s.flush()


# Faults as customers describe them, by fault code.
FAULT_STORIES: dict[str, tuple[str, ...]] = {
    "no_power": ("开机无反应，充电指示灯不亮", "插上电源也开不了机"),
    "screen": ("屏幕花屏，看不清金额", "触摸屏点击没有反应"),
    "keypad": ("数字键 5 按下去没反应", "密码键盘按键失灵"),
    "card_reader": ("刷卡提示读卡失败", "挥卡（NFC）没有反应"),
    "printer": ("打印小票空白", "打印机卡纸，出纸歪斜"),
    "network": ("交易提示网络超时", "SIM 卡无信号，无法联网"),
    "battery": ("电池不耐用，半天就没电", "电池鼓包"),
    "software": ("收款 App 闪退", "签到失败，提示参数错误"),
    "tamper": ("屏幕提示安全触发，机具锁定",),
    "other": ("外壳破裂", "商户要求检查机具"),
}
DIAGNOSES = (
    ("电源板损坏", "更换电源板，测试开机正常"),
    ("打印头老化", "更换打印头，打印测试正常"),
    ("读卡模块接触不良", "清洁并重新固定读卡模块，刷卡测试正常"),
    ("应用版本过旧", "升级应用到最新版本，交易测试正常"),
    ("SIM 卡松动", "重新安装 SIM 卡并配置 APN，联网正常"),
)


def _demo_tickets(ctx: Context, rng: random.Random, terminal_ids: list[uuid.UUID], count: int) -> None:
    """Repair tickets of the last three weeks in every state, opened and worked through the services."""
    from dataclasses import replace

    from app.models.ticket import FollowUpCallCreate, Priority, TicketIntake, TicketStep, TicketWork
    from app.models.user import Actor
    from app.services import tickets

    if not terminal_ids or count <= 0:
        return
    staff = {
        u.username: Actor(id=u.id, username=u.username, display_name=u.display_name, role=u.role, branch_id=u.branch_id)
        for u in ctx.s.exec(select(User))
    }
    clerks = [a for a in staff.values() if a.role == Role.CLERK] or [a for a in staff.values() if a.role == Role.ADMIN]
    technicians = [a for a in staff.values() if a.role == Role.TECHNICIAN]
    if not clerks or not technicians:
        return
    faults = tickets.list_fault_categories(ctx)
    now = ctx.now()
    for index in range(count):
        opened = now - timedelta(days=21 * (count - index) / count, minutes=rng.randint(0, 600))
        clock_at: list[datetime] = [opened]

        def at(actor: Actor) -> Context:
            return replace(ctx.as_user(actor), clock=lambda: clock_at[0])

        fault = rng.choice(faults)
        ticket = tickets.open_ticket(
            at(rng.choice(clerks)),
            TicketIntake(
                terminal_id=rng.choice(terminal_ids),
                channel=rng.choice(list(Channel)),
                fault_category_id=fault.id,
                description=rng.choice(FAULT_STORIES.get(fault.code, ("机具故障",))),
                priority=_weighted(rng, list(Priority), (1, 3, 8, 3)),
                contact_name=_contact_name(rng),
            ),
        )
        # How far along: most tickets older than a few days are done.
        age_days = (now - opened).days
        stage = 6 if age_days > 4 and rng.random() < 0.85 else rng.randint(0, 5)
        if stage == 0:
            continue
        tech = rng.choice(technicians)

        def step(who: Actor, name: TicketStep, hours: float, **kw: Any) -> None:
            nonlocal ticket
            clock_at[0] = min(clock_at[0] + timedelta(hours=hours), now)
            ticket = tickets.take_step(at(who), ticket.id, name, expected_version=ticket.version, **kw)

        if stage == 1 and rng.random() < 0.2:
            step(rng.choice(clerks), TicketStep.CANCEL, 1, reason="商户自行解决")
            continue
        step(rng.choice(clerks), TicketStep.ASSIGN, rng.uniform(0.2, 3), assignee_id=tech.id)
        if stage == 1:
            continue
        step(tech, TicketStep.START, rng.uniform(0.5, 10))
        if stage == 2:
            continue
        if rng.random() < 0.3:
            step(tech, TicketStep.WAIT_FOR_PARTS, rng.uniform(0.5, 4))
            if stage == 3:
                continue
            step(tech, TicketStep.PARTS_ARRIVED, rng.uniform(4, 40))
        diagnosis, resolution = rng.choice(DIAGNOSES)
        ticket = tickets.update_work(
            at(tech),
            ticket.id,
            TicketWork(
                diagnosis=diagnosis,
                resolution=resolution,
                actions=[WorkAction.REPAIR],
                parts=[TicketPartLine(part_name=diagnosis[:4] + "配件", quantity=1, unit_price_fen=rng.choice((3000, 8000, 15000)))],
                labour_fee_fen=rng.choice((0, 3000, 5000)),
                expected_version=ticket.version,
            ),
        )
        if stage <= 3:
            continue
        step(tech, TicketStep.RESOLVE, rng.uniform(1, 20))
        if stage == 4:
            continue
        step(rng.choice(clerks), TicketStep.CLOSE, rng.uniform(1, 24), confirmed_by=ticket.contact_name or "商户")
        if stage == 6 and clock_at[0] + timedelta(days=3) < now:
            clock_at[0] = clock_at[0] + timedelta(days=3)
            tickets.record_follow_up(
                at(rng.choice(clerks)),
                ticket.id,
                FollowUpCallCreate(reached=True, satisfaction=_weighted(rng, [5, 4, 3, 2], (6, 3, 1, 1))),
            )


def _contact_name(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士", "老板", "店长"))


def _catalogue_ids(ctx: Context) -> tuple[dict[tuple[str, str], uuid.UUID], dict[str, uuid.UUID]]:
    def read(s: Session) -> tuple[dict[tuple[str, str], uuid.UUID], dict[str, uuid.UUID]]:
        models = {(m.brand, m.model): m.id for m in s.exec(select(DeviceModel))}
        acquirers = {a.name: a.id for a in s.exec(select(Acquirer))}
        return models, acquirers

    result: tuple[dict[tuple[str, str], uuid.UUID], dict[str, uuid.UUID]] = ctx.db.run(
        read, write=False
    )
    return result


def _insert_batch(
    ctx: Context,
    table: Table,
    rows: list[dict[str, Any]],
    index: Callable[[Session, list[uuid.UUID]], None],
) -> None:
    """Insert one batch and index it for the search in the same transaction."""

    def work(s: Session) -> None:
        s.connection().execute(insert(table), rows)
        index(s, [row["id"] for row in rows])

    _run_write(ctx, work)


@checked(Action.DEMO_DATA_CREATE)
def generate_demo_data(
    ctx: Context,
    *,
    customers: int = 300,
    terminals_per_customer: float = 1.5,
    seed: int = 20261122,
    password: str | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill the database with a demo branch, staff, `customers` merchants and their terminals.

    Existing branches, users and merchants stay; demo users whose name is taken are skipped, and
    new numbers never collide with those in use. Without `password`, the stored demo password
    (or else a new random one) is used. Each batch of rows is its own transaction.
    """
    _check_arguments(customers, terminals_per_customer, password)
    usernames, stored, merchant_nos, serials, terminal_nos = _existing(ctx)
    chosen = password or stored or random_password()
    missing = [u for u, _n, _r in DEMO_USERS if u not in usernames]
    password_hash = hash_password(chosen) if missing else None  # argon2 is slow: hash once
    branch_id, branches, created = _setup_branch_and_users(
        ctx, chosen, password_hash, store_password=stored is None
    )
    final_password = chosen if (created or stored is None) else stored
    assert final_password is not None

    n_terminals = round(customers * terminals_per_customer)
    total = customers + n_terminals
    done = 0
    if progress:
        progress(done, total)
    gen = _Generator(ctx, seed, branch_id)
    gen.model_ids, gen.acquirer_ids = _catalogue_ids(ctx)
    rng = gen.rng
    merchant_numbers = _Numbers(14, rng.randrange(10**13, 8 * 10**13), merchant_nos)
    serial_numbers = _Numbers(10, rng.randrange(10**8, 10**9), serials)
    terminal_numbers = _Numbers(8, rng.randrange(10**7, 6 * 10**7), terminal_nos)

    merchant_table = _table(Merchant)
    facts = _MerchantFacts([], [], [])
    for start in range(0, customers, BATCH_SIZE):
        rows = [
            gen.merchant(merchant_numbers.take("8"))
            for _i in range(min(BATCH_SIZE, customers - start))
        ]
        for row in rows:
            facts.ids.append(row["id"])
            facts.statuses.append(MerchantStatus(row["status"]))
            facts.onboarding.append(row["onboarding_date"])
        _insert_batch(ctx, merchant_table, rows, search_index.index_merchants)
        done += len(rows)
        if progress:
            progress(done, total)

    # Every merchant holds at least one terminal while there are enough; the rest at random.
    order = list(range(customers))
    rng.shuffle(order)
    terminal_table = _table(Terminal)
    held = 0
    holdings: dict[uuid.UUID, list[uuid.UUID]] = {}
    for start in range(0, n_terminals, BATCH_SIZE):
        rows = []
        for _i in range(min(BATCH_SIZE, n_terminals - start)):
            holder: int | None = None
            if customers:
                holder = order[held] if held < customers else rng.randrange(customers)
            row, used_holder = gen.terminal(serial_numbers, terminal_numbers.take(), facts, holder)
            held += 1 if used_holder else 0
            rows.append(row)
            if row["merchant_id"] is not None:
                holdings.setdefault(row["merchant_id"], []).append(row["id"])
        _insert_batch(ctx, terminal_table, rows, search_index.index_terminals)
        done += len(rows)
        if progress:
            progress(done, total)

    def warranty(s: Session) -> None:
        inside = ctx.with_session(s)
        refresh_warranty_ends(inside, terminal_ids=None)
        _demo_contracts(inside, random.Random(seed + 1), holdings, branch_id)

    _run_write(ctx, warranty)
    deployed = [t for ids in holdings.values() for t in ids]
    _run_write(
        ctx,
        lambda s: _demo_tickets(ctx.with_session(s), random.Random(seed + 2), deployed, min(customers // 3, 240)),
    )

    def audit(s: Session) -> None:
        user = ctx.user
        s.add(
            AuditEntry(
                at=ctx.now(),
                user_id=user.id if user else None,
                username=user.username if user else "",
                action="create",
                record_type="demo_data",
                record_id="demo",
                changes={"merchants": [None, customers], "terminals": [None, n_terminals]},
                branch_id=branch_id,
            )
        )

    _run_write(ctx, audit)
    return DemoSummary(
        branches=branches,
        users=len(created),
        merchants=customers,
        terminals=n_terminals,
        password=final_password,
        usernames=tuple(created),
    )
