"""The two printed warranty documents: a terminal's warranty certificate and a contract summary.

The warranty certificate (保修卡) goes to the merchant with the terminal: what the warranty covers,
until when, and what it excludes, with a QR code of the SN so the counter finds the terminal by
scanning the card. The service contract summary is what both sides sign: the terms, the fee, the
terminals covered (as many pages as they need) and a QR code of the contract number.

Both are built with ReportLab's platypus so long Chinese names wrap instead of running off the
page, in the embedded WenQuanYi font (see app/reports/fonts.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.i18n import _, current_language, ngettext
from app.models.terminal import TerminalRead
from app.models.warranty import (
    ContractStatus,
    CostItem,
    CoverageKind,
    CoveragePeriod,
    CoverageRead,
    ExclusionCause,
    ServiceContractRead,
)
from app.reports.fonts import elide, fit_font_size, register_fonts, string_width
from app.reports.labels import CREATOR, QrCode
from app.rules.coverage import contract_status_label, exclusion_label, items_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
# Room under the frame for the footer line.
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
LABEL_WIDTH = 38 * mm
QR_SIZE = 32 * mm
# The width left for the fields beside the QR code.
BESIDE_QR = CONTENT_WIDTH - QR_SIZE - 8 * mm
DASH = "—"

GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.6, 0.6, 0.6)
SHADE = colors.Color(0.93, 0.93, 0.93)


# --- styles and small pieces ----------------------------------------------------------------------


def _style(name: str, size: float, **kwargs: Any) -> ParagraphStyle:
    # CJK wrapping breaks a line between any two Chinese characters and still keeps English
    # words whole, so one style serves names in either script.
    return ParagraphStyle(
        name,
        fontName=register_fonts(),
        fontSize=size,
        leading=kwargs.pop("leading", size * 1.35),
        wordWrap="CJK",
        **kwargs,
    )


class _Styles:
    """The type sizes of both documents, in one place."""

    def __init__(self) -> None:
        self.branch = _style("branch", 14)
        self.branch_info = _style("branchInfo", 8.5, textColor=GREY)
        self.title = _style("title", 20, alignment=TA_CENTER, spaceBefore=4 * mm, spaceAfter=5 * mm)
        self.section = _style("section", 11.5, spaceBefore=4 * mm, spaceAfter=1.5 * mm)
        self.label = _style("label", 9, textColor=GREY)
        self.value = _style("value", 10)
        self.strong = _style("strong", 13)
        self.body = _style("body", 9.5)
        self.terms = _style("terms", 8.5)
        self.small = _style("small", 8, textColor=GREY)
        self.lead_in = _style("leadIn", 8, textColor=GREY, spaceBefore=2 * mm, spaceAfter=1 * mm)
        self.caption = _style("caption", 8, alignment=TA_CENTER)
        self.cell = _style("cell", 9)
        self.head = _style("head", 9, textColor=GREY)
        self.right = _style("right", 9.5, alignment=TA_RIGHT)


def _table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style in the document font."""
    # Without it a cell of plain text (even an empty one) sets Helvetica, which is not embedded.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts()), *commands])


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold '&' or '<')."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _number(text: str, styles: _Styles, width: float) -> Paragraph:
    """A record number in large type, made smaller rather than broken when it is long."""
    # The value column of a field table, less the cell's padding on both sides.
    room = width - LABEL_WIDTH - 12
    size = fit_font_size(text, room, styles.strong.fontSize, styles.value.fontSize)
    if size == styles.strong.fontSize:
        return _p(text, styles.strong)
    return _p(text, ParagraphStyle("fitted", parent=styles.strong, fontSize=size, leading=size * 1.35))


def _day(value: date | None) -> str:
    return value.isoformat() if value else DASH


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _money(fen: int) -> str:
    """Integer fen as people read money: ¥1,299.00."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def _exclusions_text(causes: Sequence[ExclusionCause]) -> str:
    if not causes:
        return _("none")
    return _("; ").join(exclusion_label(c) for c in sorted(set(causes), key=list(ExclusionCause).index))


def _qr_block(value: str, styles: _Styles) -> list[Flowable]:
    """The code with what it holds printed beneath, so a person can read it too."""
    return [QrCode(value, QR_SIZE), _p(value, styles.caption)]


def _section(title: str, styles: _Styles, room: float = 30 * mm) -> list[Flowable]:
    """A heading that never ends a page: it starts a new one unless `room` is left below it.

    (keepWithNext would glue the heading to the whole terminal table and push both to the next
    page, leaving most of a page blank.)
    """
    return [CondPageBreak(room), _p(title, styles.section)]


def _header(styles: _Styles, name: str, phone: str, address: str) -> list[Flowable]:
    details = []
    if address:
        details.append(_("Address: {address}").format(address=address))
    if phone:
        details.append(_("Phone: {phone}").format(phone=phone))
    parts: list[Flowable] = [_p(name or _("Service center"), styles.branch)]
    if details:
        parts.append(_p("    ".join(details), styles.branch_info))
    rule = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[2 * mm])
    rule.setStyle(_table_style([("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.black)]))
    parts.append(rule)
    return parts


def _fields(
    rows: Sequence[tuple[str, str | Flowable]], styles: _Styles, width: float
) -> Table:
    """Label and value, one pair a row, thin lines between; long values wrap in their cell."""
    data = [
        [_p(label, styles.label), value if isinstance(value, Flowable) else _p(value or DASH, styles.value)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.8),
            ]
        )
    )
    return table


def _beside_qr(fields: Table, qr: list[Flowable]) -> Table:
    """The fields on the left, the QR code at the top right."""
    table = Table(
        [[fields, qr]],
        colWidths=[BESIDE_QR, QR_SIZE + 8 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 8 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _signature_box(caption: str, styles: _Styles, width: float, *, date_line: bool) -> Table:
    """A framed box to sign or stamp in, its caption on top and a date line at the bottom."""
    rows: list[list[Any]] = [[_p(caption, styles.label)], [""]]
    heights: list[float | None] = [None, 26 * mm]
    if date_line:
        rows.append([_p(_("Date:") + " ____________________", styles.label)])
        heights.append(None)
    box = Table(rows, colWidths=[width], rowHeights=heights)
    box.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


# --- pages and the footer -------------------------------------------------------------------------

Footer = Callable[[Canvas, int, int], None]


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds every page back until the end, so each footer can say how many pages there are."""

    def __init__(self, footer: Footer, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab's name and signature
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


def _footer(left: str) -> Footer:
    def draw(canvas: Canvas, number: int, total: int) -> None:
        font = register_fonts()
        size = 8
        right = _("Page {page} of {total}").format(page=number, total=total)
        y = MARGIN_BOTTOM - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, y + size + 2, PAGE_WIDTH - MARGIN_X, y + size + 2)
        canvas.setFillColor(GREY)
        canvas.setFont(font, size)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, y, right)
        room = CONTENT_WIDTH - string_width(right, size) - 6 * mm
        canvas.drawString(MARGIN_X, y, elide(left, room, size))
        canvas.restoreState()

    return draw


def _build(story: list[Flowable], *, title: str, subject: str, author: str, footer_left: str) -> bytes:
    font = register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        subject=subject,
        author=author,
        creator=CREATOR,
        pageCompression=1,
        initialFontName=font,
        lang="zh-CN" if current_language() == "zh_CN" else "en",
    )
    # Without the frame's default padding of 6 points, CONTENT_WIDTH is exactly what fits.
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    footer = _footer(footer_left)
    doc.build(story, canvasmaker=lambda *args, **kwargs: _NumberedCanvas(footer, *args, **kwargs))
    return buffer.getvalue()


# --- the warranty certificate ---------------------------------------------------------------------


def _contracts_in_force(
    coverage: CoverageRead, history: Sequence[CoveragePeriod], on: date
) -> list[tuple[str, date | None]]:
    """Contract numbers with their last day: the one covering `on`, then active ones not ended."""
    found: list[tuple[str, date | None]] = []
    if coverage.contract_no:
        found.append((coverage.contract_no, coverage.contract_end))
    # The history gives each contract's status as a label in the current language.
    active = contract_status_label(ContractStatus.ACTIVE)
    for period in history:
        if period.kind != CoverageKind.CONTRACT or period.name == coverage.contract_no:
            continue
        if period.status == active and (period.end is None or period.end >= on):
            found.append((period.name, period.end))
    return found


def _warranty_items(coverage: CoverageRead, history: Sequence[CoveragePeriod]) -> list[CostItem]:
    """What the warranty itself makes free (not a contract's items)."""
    for period in history:
        if period.kind == CoverageKind.WARRANTY:
            return list(period.free_items)
    return list(coverage.free_items) if coverage.kind == CoverageKind.WARRANTY else []


def warranty_certificate_pdf(
    terminal: TerminalRead,
    coverage: CoverageRead,
    history: list[CoveragePeriod],
    *,
    branch_name: str,
    branch_phone: str = "",
    branch_address: str = "",
    printed_on: date,
    exclusions: Sequence[ExclusionCause] = (),
) -> bytes:
    """The warranty certificate (保修卡) of one terminal, on one A4 page.

    `coverage` is the coverage on `printed_on`, `history` the terminal's coverage history and
    `exclusions` those of its warranty policy.
    """
    styles = _Styles()
    story: list[Flowable] = _header(styles, branch_name, branch_phone, branch_address)
    title = _("Warranty certificate")
    story.append(_p(title, styles.title))

    model = " ".join(part for part in (terminal.brand, terminal.model) if part)
    device = _fields(
        [
            (_("Serial no. (SN)"), _number(terminal.serial_no, styles, BESIDE_QR)),
            (_("Terminal no."), terminal.terminal_no),
            (_("Brand and model"), model),
            (_("Merchant"), terminal.merchant_name),
            (_("Merchant no."), terminal.merchant_no),
            (_("Purchase date"), _day(terminal.purchase_date)),
            (_("Activation date"), _day(terminal.activation_date)),
        ],
        styles,
        BESIDE_QR,
    )
    story.append(_beside_qr(device, _qr_block(terminal.serial_no, styles)))

    story += _section(_("Warranty"), styles)
    has_policy = bool(coverage.policy_name)
    warranty_rows: list[tuple[str, str | Flowable]] = [
        (_("Warranty policy"), coverage.policy_name or _("No warranty policy")),
        (_("Warranty starts"), _day(coverage.warranty_start)),
        (_("Warranty ends"), _p(_day(coverage.warranty_end), styles.strong)),
        (_("Free of charge"), items_text(_warranty_items(coverage, history)) if has_policy else DASH),
        (_("Not covered"), _exclusions_text(exclusions) if has_policy else DASH),
    ]
    story.append(_fields(warranty_rows, styles, CONTENT_WIDTH))
    if coverage.policy_text.strip():
        # Full width and outside the table: a long text (up to 2,000 characters) then flows
        # onto the next page line by line instead of moving a whole table row there.
        story.append(_p(_("Terms"), styles.lead_in))
        story.append(_p(coverage.policy_text.strip(), styles.terms))

    story += _section(_("Service contract"), styles)
    contracts = _contracts_in_force(coverage, history, printed_on)
    if contracts:
        story.append(
            _fields(
                [
                    (_("Contract no."), _("{number}, until {date}").format(number=no, date=_day(end)))
                    for no, end in contracts
                ],
                styles,
                CONTENT_WIDTH,
            )
        )
    else:
        story.append(_p(_("No service contract is in force for this terminal."), styles.body))

    story += _section(_("Coverage on {date}").format(date=_day(coverage.on)), styles)
    story.append(_p(coverage.reason or DASH, styles.body))
    story.append(Spacer(1, 8 * mm))

    seal = _signature_box(_("Service center seal"), styles, 70 * mm, date_line=False)
    printed = _p(_("Printed on {date}").format(date=_day(printed_on)), styles.right)
    bottom = Table([[seal, printed]], colWidths=[80 * mm, CONTENT_WIDTH - 80 * mm], hAlign="LEFT")
    bottom.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
            ]
        )
    )
    story.append(KeepTogether([bottom]))
    return _build(
        story,
        title=title,
        subject=terminal.serial_no,
        author=branch_name,
        footer_left=f"{title} · {terminal.serial_no}",
    )


# --- the service contract summary -----------------------------------------------------------------


def _terminal_table(terminals: Sequence[TerminalRead], styles: _Styles) -> Table:
    """The covered terminals, the header row repeated on every page."""
    widths = [12 * mm, 62 * mm, 32 * mm, CONTENT_WIDTH - 106 * mm]
    data: list[list[Any]] = [
        [_p(h, styles.head) for h in ("#", _("Serial no. (SN)"), _("Terminal no."), _("Model"))]
    ]
    for n, t in enumerate(terminals, start=1):
        model = " ".join(part for part in (t.brand, t.model) if part)
        data.append(
            [
                _p(str(n), styles.cell),
                _p(t.serial_no, styles.cell),
                _p(t.terminal_no or DASH, styles.cell),
                _p(model or DASH, styles.cell),
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def contract_summary_pdf(
    contract: ServiceContractRead,
    *,
    branch_name: str,
    branch_phone: str = "",
    branch_address: str = "",
    printed_on: date,
    terminals: Sequence[TerminalRead],
    more_terminals: int = 0,
) -> bytes:
    """The summary of a service contract both sides sign; as many A4 pages as the terminals need.

    `terminals` are those the contract lists, or for a contract covering all the merchant's
    terminals, those the merchant holds on `printed_on`; `more_terminals` counts any left out.
    """
    styles = _Styles()
    story: list[Flowable] = _header(styles, branch_name, branch_phone, branch_address)
    title = _("Service contract summary")
    story.append(_p(title, styles.title))

    rows: list[tuple[str, str | Flowable]] = [
        (_("Contract no."), _number(contract.contract_no, styles, BESIDE_QR)),
        (_("Status"), contract_status_label(contract.status)),
        (_("Merchant"), contract.merchant_name),
        (_("Merchant no."), contract.merchant_no),
        (_("Start date"), _day(contract.start_date)),
        (_("End date"), _p(_day(contract.end_date), styles.strong)),
    ]
    if contract.renews_no:
        rows.append((_("Renews contract"), contract.renews_no))
    if contract.renewed_by_no:
        rows.append((_("Renewed by contract"), contract.renewed_by_no))
    if contract.status == ContractStatus.TERMINATED or contract.terminated_on:
        rows.append((_("Terminated on"), _day(contract.terminated_on)))
        rows.append((_("Reason for termination"), contract.termination_reason))
    fields = _fields(rows, styles, BESIDE_QR)
    story.append(_beside_qr(fields, _qr_block(contract.contract_no, styles)))

    story += _section(_("Service terms"), styles)
    counted = (
        _("working hours, China working calendar")
        if contract.working_hours_only
        else _("around the clock")
    )
    story.append(
        _fields(
            [
                (_("Response time"), _("{hours} hours").format(hours=contract.response_hours)),
                (_("Resolution time"), _("{hours} hours").format(hours=contract.resolution_hours)),
                (_("Hours counted"), counted),
                (_("On-site service"), _yes_no(contract.covers_onsite)),
                (_("Free of charge"), items_text(contract.free_items)),
                (_("Not covered"), _exclusions_text(contract.exclusions)),
                (_("Fee"), _money(contract.fee_fen)),
            ],
            styles,
            CONTENT_WIDTH,
        )
    )

    story += _section(_("Covered terminals"), styles, 45 * mm if contract.all_terminals else 30 * mm)
    if contract.all_terminals:
        story.append(
            _p(
                _(
                    "This contract covers every terminal the merchant holds, "
                    "including terminals handed over later."
                ),
                styles.body,
            )
        )
        if terminals:
            story.append(
                _p(_("The merchant's terminals on {date}:").format(date=_day(printed_on)), styles.lead_in)
            )
    if terminals:
        story.append(_terminal_table(terminals, styles))
    if more_terminals > 0:
        story.append(
            _p(
                ngettext(
                    "… and {count} more terminal, not listed here.",
                    "… and {count} more terminals, not listed here.",
                    more_terminals,
                ).format(count=more_terminals),
                styles.lead_in,
            )
        )
    elif not contract.all_terminals and not terminals:
        story.append(_p(_("No terminals are listed."), styles.body))

    if contract.notes.strip():
        story += _section(_("Notes"), styles)
        story.append(_p(contract.notes.strip(), styles.body))

    half = (CONTENT_WIDTH - 10 * mm) / 2
    signatures = Table(
        [
            [
                _signature_box(_("Merchant (signature and seal)"), styles, half, date_line=True),
                _signature_box(_("Service center (signature and seal)"), styles, half, date_line=True),
            ]
        ],
        colWidths=[half + 10 * mm, half],
        hAlign="LEFT",
    )
    signatures.setStyle(
        _table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    printed = _p(_("Printed on {date}").format(date=_day(printed_on)), styles.small)
    story.append(KeepTogether([Spacer(1, 8 * mm), signatures, Spacer(1, 2 * mm), printed]))
    return _build(
        story,
        title=title,
        subject=contract.contract_no,
        author=branch_name,
        footer_left=f"{title} · {contract.contract_no}",
    )
