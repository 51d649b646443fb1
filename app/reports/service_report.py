"""The service report (服务报告): what was found and done, for the customer to sign after the repair.

A4, in the same form style as the work order (app/reports/work_order.py, whose pieces it uses):
the ticket number and its QR code, merchant and terminal, the fault reported, the diagnosis, the
work done, parts and charges, the coverage and why, the times and whether the resolution target
was met, tick boxes for the customer's satisfaction and the signatures. Long texts flow onto a
second page instead of being cut: the report is the record of the repair.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
)

from app.i18n import N_, _, current_language, pgettext
from app.models.branch import BranchRead
from app.models.ticket import SlaState, TicketRead
from app.reports.fonts import register_fonts
from app.reports.labels import CREATOR, QrCode
from app.reports.work_order import (
    DASH,
    SHEETS,
    RuledLines,
    Styles,
    TickBoxes,
    actions_text,
    clamped,
    contact_text,
    coverage_text,
    draw_footer,
    draw_page_header,
    fitted,
    form,
    local_time,
    model_text,
    para,
    parts_table,
    signature_boxes,
    table_style,
    value_width,
)
from app.rules.tickets import channel_label, priority_label, sla_label, status_label

SATISFACTION: tuple[str, ...] = (
    N_("1 Very dissatisfied"),
    N_("2 Dissatisfied"),
    N_("3 Neutral"),
    N_("4 Satisfied"),
    N_("5 Very satisfied"),
)

# The work order's A4 paper in slightly smaller type, so that a usual report fits one page.
SHEET = replace(SHEETS["A4"], text=9, small=7.5, pad_top=1.2, pad_bottom=2.2, signature_height=23 * mm)
# A text taller than this (in points) follows its box rather than sitting in it.
LONG_TEXT = 150.0


def resolution_sla(ticket: TicketRead) -> SlaState:
    """Whether the ticket was resolved by its resolution due time."""
    if ticket.sla_state in (SlaState.MET, SlaState.MISSED):
        return ticket.sla_state
    if ticket.resolved_at is None:
        return SlaState.STOPPED
    return SlaState.MET if ticket.resolved_at <= ticket.resolution_due else SlaState.MISSED


def _top(ticket: TicketRead, styles: Styles) -> Table:
    """The number in large type and the key facts, beside the QR code (the title is in the
    page header)."""
    sheet = styles.sheet
    left_w = sheet.content_width - sheet.qr - 3 * mm
    facts = form(
        None,
        [
            [(_("Priority"), priority_label(ticket.priority)), (_("Status"), status_label(ticket.status))],
            [(_("Technician"), ticket.assignee_name or DASH), (_("Confirmed by"), ticket.customer_confirmed_by)],
            [(_("Reported"), local_time(ticket.reported_at)), (_("Channel"), channel_label(ticket.channel))],
        ],
        styles,
        left_w,
    )
    left = [
        fitted(ticket.ticket_no, styles.number, left_w, sheet.text),
        Spacer(1, sheet.gap),
        facts,
    ]
    table = Table([[left, QrCode(ticket.ticket_no, sheet.qr)]], colWidths=[left_w + 3 * mm, sheet.qr], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 3 * mm),
            ]
        )
    )
    return table


def _text_block(title: str, rows: list[Any], text: str, styles: Styles) -> list[Flowable]:
    """A boxed part with `text` in it; a long text follows the box instead, free to continue on
    the next page (a table row cannot be split across pages)."""
    width = SHEET.content_width
    body = para(text or DASH, styles.value)
    if body.wrap(value_width(styles, width, span=True), SHEET.height)[1] <= LONG_TEXT:
        return [form(title, rows, styles, width, body=[body])]
    return [
        CondPageBreak(25 * mm),  # never a heading alone at the foot of a page
        form(title, rows, styles, width),
        Spacer(1, 1.5 * mm),
        para(text, styles.body),
        Spacer(1, 1.5 * mm),
    ]


def _terminal_rows(ticket: TicketRead, styles: Styles) -> list[Any]:
    half = value_width(styles, SHEET.content_width, span=False)
    rows: list[Any] = [
        [(_("Serial no. (SN)"), fitted(ticket.serial_no, styles.strong, half, SHEET.text * 0.6)), (_("Model"), model_text(ticket))],
    ]
    extra: list[tuple[str, str]] = []
    if ticket.replacement_serial_no:
        extra.append((_("Replacement terminal (SN)"), ticket.replacement_serial_no))
    if ticket.new_firmware_version:
        extra.append((_("New firmware version"), ticket.new_firmware_version))
    first = (_("Terminal no."), ticket.terminal_no)
    if extra:
        rows.append([first, extra.pop(0)])
    else:
        rows.append([first])
    rows += [[pair] for pair in extra]
    return rows


def _story(ticket: TicketRead, styles: Styles) -> list[Flowable]:
    width = SHEET.content_width
    gap = Spacer(1, SHEET.gap)
    span = value_width(styles, width, span=True)
    story: list[Flowable] = [_top(ticket, styles), gap]
    story.append(
        form(
            _("Merchant and terminal"),
            [
                [(_("Merchant"), clamped(ticket.merchant_name or DASH, styles.value, span, 3))],
                [(_("Merchant no."), ticket.merchant_no), (_("Contact"), contact_text(ticket))],
                [(_("Address"), clamped(ticket.merchant_address or DASH, styles.value, span, 3))],
                *_terminal_rows(ticket, styles),
            ],
            styles,
            width,
        )
    )
    story.append(gap)
    story += _text_block(_("Fault reported"), [[(_("Fault"), ticket.fault_label)]], ticket.description, styles)
    story.append(gap)
    story += _text_block(_("What was found"), [], ticket.diagnosis, styles)
    story.append(gap)
    story += _text_block(_("What was done"), [[(_("Actions"), actions_text(ticket) or DASH)]], ticket.resolution, styles)
    story += [gap, CondPageBreak(30 * mm), parts_table(ticket, styles, width), gap]

    sla = resolution_sla(ticket)
    coverage_rows: list[Any] = [[(_("Coverage"), coverage_text(ticket))]]
    if ticket.policy_name or ticket.contract_no:
        coverage_rows.append(
            [(_("Warranty policy"), ticket.policy_name or DASH), (_("Contract no."), ticket.contract_no or DASH)]
        )
    coverage_rows += [
        [(_("Coverage reason"), ticket.coverage_reason)],
        [(_("Responded"), local_time(ticket.responded_at)), (_("Resolved"), local_time(ticket.resolved_at))],
        [
            (_("Resolution due"), local_time(ticket.resolution_due)),
            (_("Resolution target"), sla_label(sla) if sla != SlaState.STOPPED else DASH),
        ],
    ]
    if ticket.closed_at is not None:
        # "Closed" alone names a merchant's closure elsewhere; here it is the time of closing.
        coverage_rows.append([(pgettext("ticket time", "Closed"), local_time(ticket.closed_at))])
    story += [KeepTogether(form(_("Coverage and times"), coverage_rows, styles, width)), gap]

    satisfaction = form(
        _("Customer satisfaction: please tick one box"),
        [],
        styles,
        width,
        body=[
            TickBoxes([_(s) for s in SATISFACTION], len(SATISFACTION), SHEET.small),
            RuledLines(2, SHEET.text * 2.0, label=_("Comments:"), label_size=SHEET.small),
        ],
    )
    signatures = signature_boxes(
        [_("Customer (signature)"), _("Technician (signature)")], styles, width, SHEET.signature_height
    )
    story.append(KeepTogether([satisfaction, gap, signatures]))
    return story


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds every page back until the end, so each footer can say how many pages there are."""

    def __init__(self, footer_left: str, printed: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_left = footer_left
        self._printed = printed
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab's name and signature
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            right = _("Page {page} of {total}").format(page=number, total=total)
            draw_footer(self, SHEET, f"{self._footer_left} · {self._printed}", right)
            super().showPage()
        super().save()


def service_report_pdf(ticket: TicketRead, *, branch: BranchRead | None, printed_at: datetime) -> bytes:
    """The service report of one resolved or closed ticket, on A4 (a second page if its texts
    are long). Phones are printed as the ticket carries them (the service masks them)."""
    font = register_fonts()
    styles = Styles(SHEET)
    title = _("Service report")
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(SHEET.width, SHEET.height),
        leftMargin=SHEET.margin_x,
        rightMargin=SHEET.margin_x,
        topMargin=SHEET.margin_top,
        bottomMargin=SHEET.margin_bottom,
        title=title,
        subject=ticket.ticket_no,
        author=branch.name if branch else "",
        creator=CREATOR,
        pageCompression=1,
        initialFontName=font,
        lang="zh-CN" if current_language() == "zh_CN" else "en",
    )
    top = SHEET.height - SHEET.margin_top - SHEET.header_height - SHEET.gap
    bottom = SHEET.margin_bottom + SHEET.gap
    frame = Frame(
        SHEET.margin_x,
        bottom,
        SHEET.content_width,
        top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )

    def header(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        draw_page_header(canvas, SHEET, branch, tag=title)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=header)])
    printed = _("Printed {time}").format(time=local_time(printed_at))
    footer_left = f"{title} · {ticket.ticket_no}"
    doc.build(
        _story(ticket, styles),
        canvasmaker=lambda *args, **kwargs: _NumberedCanvas(footer_left, printed, *args, **kwargs),
    )
    return buffer.getvalue()

