"""Repair tickets (维修工单): intake, workflow, work done, charges, attachments, follow-up calls."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead, new_id, utcnow
from app.models.warranty import CostItem, CoverageKind, CoverageRead, ExclusionCause


class TicketStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_PARTS = "waiting_parts"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class TicketStep(StrEnum):
    """The workflow's steps; `app.rules.tickets.STEPS` says who may take each and from where."""

    ASSIGN = "assign"
    START = "start"
    WAIT_FOR_PARTS = "wait_for_parts"
    PARTS_ARRIVED = "parts_arrived"
    RESOLVE = "resolve"
    CLOSE = "close"
    CANCEL = "cancel"
    REOPEN = "reopen"


class Channel(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    ONLINE = "online"
    ONSITE = "onsite"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class WorkAction(StrEnum):
    REPAIR = "repair"
    REPLACE_PART = "replace_part"
    SWAP_TERMINAL = "swap_terminal"
    SOFTWARE_UPDATE = "software_update"
    CONFIGURATION = "configuration"
    NO_FAULT_FOUND = "no_fault_found"


class AttachmentKind(StrEnum):
    DAMAGE_PHOTO = "damage_photo"
    PROOF_OF_PURCHASE = "proof_of_purchase"
    SIGNED_WORK_ORDER = "signed_work_order"
    OTHER = "other"


class ActivityKind(StrEnum):
    CREATED = "created"
    STATUS = "status"
    ASSIGNMENT = "assignment"
    COMMENT = "comment"
    WORK = "work"
    PRINT = "print"
    ATTACHMENT = "attachment"
    CALL = "call"


# --- fault categories -----------------------------------------------------------------------------


class FaultCategory(RecordBase, table=True):
    """An entry of the editable fault list; built-in entries carry a code and are translated."""

    __tablename__ = "fault_category"

    code: str = Field(default="", max_length=24)
    name: str = Field(default="", max_length=40)
    sort_order: int = Field(default=100)
    active: bool = Field(default=True)


class FaultCategoryRead(RecordRead):
    code: str
    name: str
    sort_order: int
    active: bool
    label: str = ""  # the name in the current language


# --- SLA defaults ---------------------------------------------------------------------------------


class SlaDefault(RecordBase, table=True):
    """Response and resolution targets per priority, for tickets without a service contract."""

    __tablename__ = "sla_default"

    priority: Priority = Field(sa_type=String(2), unique=True)
    response_hours: int
    resolution_hours: int
    working_hours_only: bool = Field(default=True)


class SlaDefaultRead(RecordRead):
    priority: Priority
    response_hours: int
    resolution_hours: int
    working_hours_only: bool


class TicketSettings(SQLModel):
    """Supervisor settings of the ticket workflow."""

    pause_while_waiting_for_parts: bool = False
    follow_up_days: int = 3


# --- the ticket -----------------------------------------------------------------------------------


class TicketIntake(SQLModel):
    """What the clerk fills in at intake."""

    terminal_id: uuid.UUID | None = None
    merchant_id: uuid.UUID | None = None
    channel: Channel = Channel.PHONE
    fault_category_id: uuid.UUID | None = None
    description: str = Field(default="", max_length=2000)
    priority: Priority = Priority.P3
    contact_name: str = Field(default="", max_length=50)
    contact_phone: str = Field(default="", max_length=30)
    exclusion: ExclusionCause | None = None


class Ticket(RecordBase, table=True):
    ticket_no: str = Field(max_length=30, unique=True)
    merchant_id: uuid.UUID = Field(foreign_key="merchant.id", index=True)
    terminal_id: uuid.UUID = Field(foreign_key="terminal.id", index=True)
    channel: Channel = Field(sa_type=String(10))
    fault_category_id: uuid.UUID | None = Field(default=None, foreign_key="fault_category.id")
    description: str = Field(default="", max_length=2000)
    priority: Priority = Field(sa_type=String(2), index=True)
    contact_name: str = Field(default="", max_length=50)
    contact_phone: str = Field(default="", max_length=30)
    status: TicketStatus = Field(default=TicketStatus.NEW, sa_type=String(14), index=True)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id", index=True)
    # Coverage as decided at intake (and again when the exclusion changes).
    coverage_kind: CoverageKind = Field(default=CoverageKind.NONE, sa_type=String(10))
    coverage_until: date | None = None
    free_items: list[CostItem] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The facts coverage was decided on: its sentence is said in the reader's language.
    coverage_basis: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    exclusion: ExclusionCause | None = Field(default=None, sa_type=String(30))
    contract_id: uuid.UUID | None = Field(default=None, foreign_key="service_contract.id")
    policy_name: str = Field(default="", max_length=60)
    contract_no: str = Field(default="", max_length=30)
    # The SLA clock.
    reported_at: datetime = Field(default_factory=utcnow, index=True)
    response_hours: int = 24
    resolution_hours: int = 72
    working_hours_only: bool = True
    response_due: datetime
    resolution_due: datetime = Field(index=True)
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    # Pauses while waiting for parts: [[start, end or null], ...] as ISO strings.
    pauses: list[list[str | None]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The work.
    diagnosis: str = Field(default="", max_length=2000)
    resolution: str = Field(default="", max_length=2000)
    actions: list[WorkAction] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    labour_fee_fen: int = 0
    onsite_fee_fen: int = 0
    total_charge_fen: int = 0
    replacement_serial_no: str = Field(default="", max_length=40)
    new_firmware_version: str = Field(default="", max_length=40)
    customer_confirmed_by: str = Field(default="", max_length=50)
    cancel_reason: str = Field(default="", max_length=500)
    reopen_count: int = 0
    follow_up_due: date | None = Field(default=None, index=True)


class TicketPart(SQLModel, table=True):
    """One parts line of a ticket."""

    __tablename__ = "ticket_part"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    ticket_id: uuid.UUID = Field(foreign_key="ticket.id", index=True)
    line_no: int = 1
    part_name: str = Field(max_length=60)
    quantity: int = 1
    unit_price_fen: int = 0
    covered: bool = False


class TicketPartLine(SQLModel):
    part_name: str = Field(max_length=60)
    quantity: int = 1
    unit_price_fen: int = 0
    covered: bool = False

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


class TicketWork(SQLModel):
    """The technician's part: what was found, what was done, parts and fees."""

    diagnosis: str | None = None
    resolution: str | None = None
    actions: list[WorkAction] | None = None
    parts: list[TicketPartLine] | None = None
    labour_fee_fen: int | None = None
    onsite_fee_fen: int | None = None
    exclusion: ExclusionCause | None = None
    clear_exclusion: bool = False
    expected_version: int


class TicketActivity(SQLModel, table=True):
    """One line of a ticket's activity log."""

    __tablename__ = "ticket_activity"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    ticket_id: uuid.UUID = Field(foreign_key="ticket.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    kind: ActivityKind = Field(sa_type=String(12))
    user_id: uuid.UUID | None = None
    username: str = Field(default="", max_length=50)
    summary: str = Field(default="", max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TicketActivityRead(SQLModel):
    id: uuid.UUID
    at: datetime
    kind: ActivityKind
    username: str
    summary: str
    details: dict[str, Any]


class TicketAttachment(SQLModel, table=True):
    __tablename__ = "ticket_attachment"
    __table_args__ = (UniqueConstraint("stored_name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    ticket_id: uuid.UUID = Field(foreign_key="ticket.id", index=True)
    kind: AttachmentKind = Field(sa_type=String(20))
    stored_name: str = Field(max_length=80)
    original_name: str = Field(default="", max_length=255)
    size_bytes: int = 0
    at: datetime = Field(default_factory=utcnow)
    username: str = Field(default="", max_length=50)


class TicketAttachmentRead(SQLModel):
    id: uuid.UUID
    ticket_id: uuid.UUID
    kind: AttachmentKind
    stored_name: str
    original_name: str
    size_bytes: int
    at: datetime
    username: str
    path: str = ""  # where the file is on this PC
    is_image: bool = False


class FollowUpCall(SQLModel, table=True):
    """A call to the customer after closing (回访)."""

    __tablename__ = "follow_up_call"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    ticket_id: uuid.UUID = Field(foreign_key="ticket.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    username: str = Field(default="", max_length=50)
    reached: bool
    satisfaction: int | None = None
    comments: str = Field(default="", max_length=1000)


class FollowUpCallCreate(SQLModel):
    reached: bool
    satisfaction: int | None = None
    comments: str = ""
    reopen: bool = False


class FollowUpCallRead(SQLModel):
    id: uuid.UUID
    ticket_id: uuid.UUID
    at: datetime
    username: str
    reached: bool
    satisfaction: int | None
    comments: str


# --- reading ---------------------------------------------------------------------------------------


class SlaState(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    LATE = "late"
    MET = "met"
    MISSED = "missed"
    STOPPED = "stopped"


class TicketRead(RecordRead):
    ticket_no: str
    merchant_id: uuid.UUID
    terminal_id: uuid.UUID
    channel: Channel
    fault_category_id: uuid.UUID | None
    description: str
    priority: Priority
    contact_name: str
    contact_phone: str
    status: TicketStatus
    assignee_id: uuid.UUID | None
    coverage_kind: CoverageKind
    coverage_reason: str = ""  # filled in by the service from the kept basis
    coverage_until: date | None
    free_items: list[CostItem]
    exclusion: ExclusionCause | None
    contract_id: uuid.UUID | None
    policy_name: str
    contract_no: str
    reported_at: datetime
    response_hours: int
    resolution_hours: int
    working_hours_only: bool
    response_due: datetime
    resolution_due: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    diagnosis: str
    resolution: str
    actions: list[WorkAction]
    labour_fee_fen: int
    onsite_fee_fen: int
    total_charge_fen: int
    replacement_serial_no: str
    new_firmware_version: str
    customer_confirmed_by: str
    cancel_reason: str
    reopen_count: int
    follow_up_due: date | None
    # Filled in by the service.
    merchant_name: str = ""
    merchant_no: str = ""
    merchant_address: str = ""
    serial_no: str = ""
    terminal_no: str = ""
    brand: str = ""
    model: str = ""
    fault_label: str = ""
    assignee_name: str = ""
    parts: list[TicketPartLine] = Field(default_factory=list)
    # The SLA clock now: due time of the running target, hours left (negative: late), state.
    sla_due: datetime | None = None
    sla_hours_left: float | None = None
    sla_state: SlaState = SlaState.STOPPED
    paused: bool = False


class IntakeTerms(SQLModel):
    """What intake shows before saving: the coverage and the SLA targets that will apply."""

    coverage: CoverageRead
    response_hours: int
    resolution_hours: int
    working_hours_only: bool
    response_due: datetime
    resolution_due: datetime
    # Years the national calendar does not know: only weekends count as days off there.
    unknown_years: list[int] = Field(default_factory=list)


class TicketFilter(SQLModel):
    status: TicketStatus | None = None
    open_only: bool = False
    assignee_id: uuid.UUID | None = None
    unassigned: bool = False
    overdue: bool = False
    merchant_id: uuid.UUID | None = None
    terminal_id: uuid.UUID | None = None
    priority: Priority | None = None
    text: str = ""
    # "due" (of the target running now), "resolution_due", "reported_at", "priority", "ticket_no", "status"
    sort: str = "due"
    descending: bool = False


class TicketPage(SQLModel):
    items: list[TicketRead]
    total: int
