"""The work order (维修工单): one page per ticket and copy, for the technician to take on site.

Each page is a form: the branch's header with the copy's name (customer copy, shop copy), the
ticket number in large type beside a QR code holding exactly that number, the merchant and the
contact for the job, the terminal, its coverage, the fault, the SLA due time, tick boxes for the
checks on site, the parts and charges, and boxes for the technician's and the customer's
signature with a date line. A4 and A5 share the layout; A5 uses smaller type and fewer lines.

The form is drawn into a frame that shrinks its content rather than spilling onto a second page,
and texts people typed (names, addresses, descriptions) are cut to a few lines with an ellipsis,
so one ticket always takes exactly one page per copy, also in a batch of hundreds.

The service report (app/reports/service_report.py) uses the pieces defined here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepInFrame,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.i18n import N_, _, current_language
from app.models.branch import BranchRead
from app.models.ticket import TicketPartLine, TicketRead
from app.models.warranty import CostItem
from app.reports.fonts import (
    draw_bold_string,
    elide,
    fit_font_size,
    register_fonts,
    string_width,
)
from app.reports.labels import CREATOR, QrCode
from app.rules.coverage import kind_label
from app.rules.tickets import action_label, channel_label, priority_label, status_label
from app.rules.workcal import CHINA_TZ

PageSize = Literal["A4", "A5"]
PAGE_SIZES: tuple[PageSize, ...] = ("A4", "A5")

# The copies a work order can be printed in, in the order they come out of the printer.
COPY_LABELS: dict[str, str] = {
    "customer": N_("Customer copy"),
    "shop": N_("Shop copy"),
}
COPIES: tuple[str, ...] = tuple(COPY_LABELS)

# What the technician checks on site, ticked by hand.
CHECKLIST: tuple[str, ...] = (
    N_("Appearance checked"),
    N_("Powers on"),
    N_("Keypad / PIN pad test"),
    N_("Card reader test"),
    N_("Contactless (NFC) test"),
    N_("Print test"),
    N_("Network test"),
    N_("Transaction test"),
)

DASH = "—"
# A table cell's left padding, in points.
PAD = 3.0
GREY = colors.Color(0.35, 0.35, 0.35)
RULE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.90, 0.90, 0.90)
LABEL_SHADE = colors.Color(0.965, 0.965, 0.965)


def copy_label(copy: str) -> str:
    """The copy's name as printed at the top of its page."""
    return _(COPY_LABELS[copy])


# --- the paper ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One paper size: lengths in points, type sizes in points, and how much text fits."""

    width: float
    height: float
    margin_x: float
    margin_top: float
    margin_bottom: float
    text: float  # values
    small: float  # labels, table heads, the footer
    branch: float
    title: float
    number: float
    qr: float
    label_width: float
    header_height: float
    signature_height: float
    # A table cell's padding above and below its text.
    pad_top: float
    pad_bottom: float
    # Lines of typed text shown before it is cut with an ellipsis.
    name_lines: int
    address_lines: int
    description_lines: int
    reason_lines: int
    work_lines: int
    # Parts lines listed before the rest are summed up in one line; empty lines to write in.
    part_rows: int
    blank_part_rows: int
    note_lines: int
    checklist_columns: int
    gap: float
    # The widths of the parts table's columns but the part's name: #, qty, unit price, amount,
    # covered or charged.
    part_columns: tuple[float, float, float, float, float]

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin_x


SHEETS: dict[PageSize, Sheet] = {
    "A4": Sheet(
        width=A4[0],
        height=A4[1],
        margin_x=14 * mm,
        margin_top=12 * mm,
        margin_bottom=14 * mm,
        text=9.5,
        small=8,
        branch=13,
        title=16,
        number=19,
        qr=30 * mm,
        label_width=25 * mm,
        header_height=15 * mm,
        signature_height=30 * mm,
        pad_top=1.4,
        pad_bottom=2.4,
        name_lines=2,
        address_lines=2,
        description_lines=4,
        reason_lines=2,
        work_lines=5,
        part_rows=7,
        blank_part_rows=3,
        note_lines=3,
        checklist_columns=4,
        gap=2.2 * mm,
        part_columns=(8 * mm, 12 * mm, 25 * mm, 26 * mm, 26 * mm),
    ),
    "A5": Sheet(
        width=A5[0],
        height=A5[1],
        margin_x=9 * mm,
        margin_top=7 * mm,
        margin_bottom=8.5 * mm,
        text=7.5,
        small=6.5,
        branch=10,
        title=12,
        number=14,
        qr=21 * mm,
        label_width=19 * mm,
        header_height=10 * mm,
        signature_height=19 * mm,
        pad_top=1.1,
        pad_bottom=2.1,
        name_lines=2,
        address_lines=2,
        description_lines=3,
        reason_lines=2,
        work_lines=3,
        part_rows=4,
        blank_part_rows=1,
        note_lines=2,
        checklist_columns=4,
        gap=1.2 * mm,
        part_columns=(6 * mm, 10 * mm, 20 * mm, 21 * mm, 20 * mm),
    ),
}

# When a ticket's texts make the form too tall, it is set again with fewer lines of each.
COMPACT: dict[PageSize, Sheet] = {
    size: replace(
        sheet,
        name_lines=1,
        address_lines=2,  # the technician must find the shop
        description_lines=2,
        reason_lines=1,
        work_lines=3,
        part_rows=3 if size == "A4" else 2,
        blank_part_rows=1,
        note_lines=2,
    )
    for size, sheet in SHEETS.items()
}


# --- styles and small pieces (shared with the service report) -------------------------------------


def _style(name: str, size: float, **kwargs: Any) -> ParagraphStyle:
    # CJK wrapping breaks between any two Chinese characters and keeps English words whole.
    return ParagraphStyle(
        name,
        fontName=register_fonts(),
        fontSize=size,
        leading=kwargs.pop("leading", size * 1.3),
        wordWrap="CJK",
        **kwargs,
    )


class Styles:
    """The paragraph styles of one sheet."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.branch = _style("branch", sheet.branch)
        self.title = _style("title", sheet.title)
        self.number = _style("number", sheet.number, leading=sheet.number * 1.2)
        self.section = _style("section", sheet.text)
        self.label = _style("label", sheet.small, textColor=GREY)
        self.value = _style("value", sheet.text)
        self.strong = _style("strong", sheet.text * 1.2)
        self.small = _style("small", sheet.small)
        self.head = _style("head", sheet.small, textColor=GREY)
        self.cell = _style("cell", sheet.text)
        self.right = _style("right", sheet.text, alignment=TA_RIGHT)
        self.total = _style("total", sheet.text * 1.15, alignment=TA_RIGHT)
        # Text under a heading, lined up with the text in the cells above it.
        self.body = _style("body", sheet.text, leftIndent=PAD, rightIndent=right_pad(sheet))


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style in the document font: a plain-text cell would otherwise set Helvetica, which
    is not embedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts()), *commands])


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold '&' or '<')."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def clamped(text: str, style: ParagraphStyle, width: float, lines: int) -> Paragraph:
    """`text` as a paragraph of at most `lines` lines at `width`, cut with an ellipsis if longer."""
    whole = para(text, style)
    if _line_count(whole, width) <= lines:
        return whole
    return para(clamp_text(text, style, width, lines), style)


# Where a line may break in plain text: between Chinese characters, at spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+")


@lru_cache(maxsize=512)
def plain_lines(text: str, width: float, size: float) -> str:
    """Short fixed text (a label, a heading) broken into lines that fit `width`, joined by
    newlines: a table draws such a string far faster than a paragraph, which matters when
    hundreds of work orders are printed at once."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if line and not token.isspace() and string_width(line + token, size) > width:
            lines.append(line.rstrip())
            line = ""
        if line or not token.isspace():
            line += token
    lines.append(line.rstrip())
    return "\n".join(lines)


def clamp_text(text: str, style: ParagraphStyle, width: float, lines: int) -> str:
    """`text`, cut with an ellipsis where needed so that it takes at most `lines` lines."""
    if _line_count(para(text, style), width) <= lines:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, found by halving
    while low < high:
        middle = (low + high + 1) // 2
        if _line_count(para(text[:middle].rstrip() + "…", style), width) <= lines:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _line_count(paragraph: Paragraph, width: float) -> int:
    paragraph.wrap(width, 10_000)
    return len(paragraph.blPara.lines)


def fitted(text: str, style: ParagraphStyle, width: float, smallest: float) -> Paragraph:
    """One line of `text`, in smaller type rather than broken when it is long."""
    size = fit_font_size(text, width, style.fontSize, smallest)
    if size == style.fontSize:
        return para(text, style)
    return para(text, ParagraphStyle("fitted", parent=style, fontSize=size, leading=size * 1.25))


def local_time(value: datetime | None) -> str:
    """A moment as people in China read it: 2026-11-20 10:00."""
    if value is None:
        return DASH
    if value.tzinfo is None:  # stored UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def money(fen: int) -> str:
    """Integer fen as people read money: ¥1,299.00."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def model_text(ticket: TicketRead) -> str:
    return " ".join(part for part in (ticket.brand, ticket.model) if part)


def contact_text(ticket: TicketRead) -> str:
    return "  ".join(part for part in (ticket.contact_name, ticket.contact_phone) if part)


def coverage_text(ticket: TicketRead) -> str:
    """"in warranty, until 2027-01-09"."""
    kind = kind_label(ticket.coverage_kind)
    if ticket.coverage_until is None:
        return kind
    return _("{kind}, until {date}").format(kind=kind, date=ticket.coverage_until.isoformat())


def actions_text(ticket: TicketRead) -> str:
    return _(", ").join(action_label(a) for a in ticket.actions)


class TickBoxes(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Empty boxes to tick by hand, each with its text, in `columns` columns."""

    def __init__(self, items: Sequence[str], columns: int, size: float) -> None:
        super().__init__()
        self.items = list(items)
        self.columns = max(1, columns)
        self.size = size
        self.box = size * 1.05
        self.line = size * 1.85
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        rows = -(-len(self.items) // self.columns)
        return available_width, rows * self.line

    def draw(self) -> None:
        canvas = self.canv
        font = register_fonts()
        column_width = self.width / self.columns
        rows = -(-len(self.items) // self.columns)
        canvas.saveState()
        canvas.setLineWidth(0.7)
        canvas.setFont(font, self.size)
        for index, item in enumerate(self.items):
            row, column = divmod(index, self.columns)
            x = column * column_width
            y = (rows - row - 1) * self.line + (self.line - self.box) / 2
            canvas.rect(x, y, self.box, self.box, stroke=1, fill=0)
            room = column_width - self.box - self.size * 0.6 - 2
            canvas.drawString(x + self.box + self.size * 0.5, y + self.box * 0.14, elide(item, room, self.size))
        canvas.restoreState()


class RuledLines(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Dotted lines to write on by hand, the first one after `label` if there is one."""

    def __init__(self, count: int, spacing: float, *, label: str = "", label_size: float = 8) -> None:
        super().__init__()
        self.count = count
        self.spacing = spacing
        self.label = label
        self.label_size = label_size
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.spacing

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        start = 0.0
        if self.label:
            y = (self.count - 1) * self.spacing + 2
            canvas.setFillColor(GREY)
            canvas.setFont(register_fonts(), self.label_size)
            canvas.drawString(0, y, self.label)
            start = string_width(self.label, self.label_size) + 2
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.setDash(1, 2)
        for n in range(self.count):
            y = n * self.spacing + 1
            canvas.line(start if n == self.count - 1 else 0, y, self.width, y)
        canvas.restoreState()


Cell: TypeAlias = "str | Flowable"
Pair = tuple[str, Cell]


def form(
    title: str | None,
    rows: Sequence[Sequence[Pair]],
    styles: Styles,
    width: float,
    *,
    body: Sequence[Flowable] = (),
) -> Table:
    """A boxed part of the form: a shaded title row, then label and value cells, two pairs a row
    or one pair across the width; `body` flowables come last, across the width."""
    sheet = styles.sheet
    label_w = sheet.label_width
    value_w = (width - 2 * label_w) / 2
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *text_commands(sheet),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), right_pad(sheet)),
        ("TOPPADDING", (0, 0), (-1, -1), sheet.pad_top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), sheet.pad_bottom),
    ]
    label_room = label_w - PAD - right_pad(sheet)
    if title:
        data.append([plain_lines(title, width - PAD - right_pad(sheet), sheet.text), "", "", ""])
        commands += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]

    def label_cell(r: int, c: int, label: str) -> str:
        commands.extend(
            [
                ("BACKGROUND", (c, r), (c, r), LABEL_SHADE),
                ("FONTSIZE", (c, r), (c, r), sheet.small),
                ("LEADING", (c, r), (c, r), sheet.small * 1.25),
                ("TEXTCOLOR", (c, r), (c, r), GREY),
            ]
        )
        return plain_lines(label, label_room, sheet.small)

    half = value_width(styles, width, span=False)
    span = value_width(styles, width, span=True)
    for pairs in rows:
        r = len(data)
        commands.append(("LINEABOVE", (0, r), (-1, r), 0.3, RULE))
        (label, value), *more = pairs
        if more:
            label2, value2 = more[0]
            row: list[Any] = [
                label_cell(r, 0, label), _cell(value, styles, half), label_cell(r, 2, label2), _cell(value2, styles, half)
            ]
            commands.append(("LINEBEFORE", (1, r), (-1, r), 0.3, RULE))
        else:
            row = [label_cell(r, 0, label), _cell(value, styles, span), "", ""]
            commands += [("SPAN", (1, r), (-1, r)), ("LINEBEFORE", (1, r), (1, r), 0.3, RULE)]
        data.append(row)
    for flowable in body:
        r = len(data)
        data.append([flowable, "", "", ""])
        commands += [
            ("SPAN", (0, r), (-1, r)),
            ("LINEABOVE", (0, r), (-1, r), 0.3, RULE),
            ("TOPPADDING", (0, r), (-1, r), 3),
            ("BOTTOMPADDING", (0, r), (-1, r), 3),
        ]
    table = Table(data, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(table_style(commands))
    return table


def _cell(value: Cell, styles: Styles, room: float) -> Any:
    """A value as plain text when it fits one line (fast), else as a paragraph that wraps."""
    if isinstance(value, Flowable):
        return value
    text = value or DASH
    if "\n" not in text and string_width(text, styles.sheet.text) <= room:
        return text
    return para(text, styles.value)


def text_commands(sheet: Sheet) -> list[tuple[Any, ...]]:
    """How a table sets its plain-text cells: like the value paragraphs."""
    return [
        ("FONTSIZE", (0, 0), (-1, -1), sheet.text),
        ("LEADING", (0, 0), (-1, -1), sheet.text * 1.3),
    ]


def value_width(styles: Styles, width: float, *, span: bool) -> float:
    """The room for text in a value cell of `form` (less the cell's padding)."""
    sheet = styles.sheet
    padding = PAD + right_pad(sheet)
    if span:
        return width - sheet.label_width - padding
    return (width - 2 * sheet.label_width) / 2 - padding


def right_pad(sheet: Sheet) -> float:
    """A cell's right padding: Chinese typesetting lets a closing mark (，。）) hang past the
    line's end, and this keeps it inside the cell."""
    return sheet.text * 0.6


def parts_table(
    ticket: TicketRead,
    styles: Styles,
    width: float,
    *,
    max_rows: int | None = None,
    blank_rows: int = 0,
    part_lines: int = 3,
) -> Table:
    """Parts, labour and on-site fees with what is covered and charged, and the total to charge.

    At most `max_rows` parts lines are listed, the rest summed up in one line; with no parts,
    `blank_rows` empty lines are left to write in.
    """
    sheet = styles.sheet
    fixed = sheet.part_columns
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    free = set(ticket.free_items)
    covered, charged = _("covered"), _("charged")

    def status(line: TicketPartLine) -> str:
        return covered if line.covered or CostItem.PARTS in free else charged

    head = ["#", _("Part"), _("Qty"), _("Unit price"), _("Amount"), _("Covered / charged")]
    pad = PAD + right_pad(sheet)
    data: list[list[Any]] = [[plain_lines(h, w - pad, sheet.small) for h, w in zip(head, widths, strict=True)]]
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *text_commands(sheet),
        ("FONTSIZE", (0, 0), (-1, 0), sheet.small),
        ("LEADING", (0, 0), (-1, 0), sheet.small * 1.25),
        ("TEXTCOLOR", (0, 0), (-1, 0), GREY),
        ("ALIGN", (2, 1), (4, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), right_pad(sheet)),
        ("TOPPADDING", (0, 0), (-1, -1), sheet.pad_top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), sheet.pad_bottom),
    ]
    parts = list(ticket.parts)
    shown = parts if max_rows is None or len(parts) <= max_rows else parts[: max_rows - 1]
    for n, line in enumerate(shown, start=1):
        data.append(
            [
                str(n),
                plain_or_clamped(line.part_name, styles, widths[1] - pad, part_lines),
                str(line.quantity),
                money(line.unit_price_fen),
                money(line.amount_fen),
                status(line),
            ]
        )
    rest = parts[len(shown) :]
    if rest:
        text = _("… and {count} more parts lines").format(count=len(rest))
        data.append(
            [
                "",
                plain_or_clamped(text, styles, widths[1] - pad, 1),
                str(sum(p.quantity for p in rest)),
                "",
                money(sum(p.amount_fen for p in rest)),
                DASH,
            ]
        )
    if not parts:
        data += [["", "", "", "", "", ""] for _n in range(blank_rows)]

    def fee_row(label: str, fen: int, item: CostItem) -> list[Any]:
        state = DASH if fen == 0 else (covered if item in free else charged)
        return [label, "", "", "", money(fen), state]

    first_fee = len(data)
    data.append(fee_row(_("Labour fee"), ticket.labour_fee_fen, CostItem.LABOUR))
    data.append(fee_row(_("On-site fee"), ticket.onsite_fee_fen, CostItem.ONSITE))
    data.append([_("Total to charge"), "", "", "", money(ticket.total_charge_fen), ""])
    last = len(data) - 1
    for r in range(first_fee, last + 1):
        commands.append(("SPAN", (0, r), (3, r)))
    total_size = sheet.text * 1.2
    commands += [
        ("LINEABOVE", (0, first_fee), (-1, first_fee), 0.8, colors.black),
        ("ALIGN", (4, first_fee), (4, -1), "RIGHT"),
        ("BACKGROUND", (0, last), (-1, last), SHADE),
        ("SPAN", (4, last), (5, last)),
        ("FONTSIZE", (0, last), (-1, last), total_size),
        ("LEADING", (0, last), (-1, last), total_size * 1.3),
    ]
    heights: list[float | None] = [None] * len(data)
    if not parts:
        for r in range(1, 1 + blank_rows):
            heights[r] = sheet.text * 2.0
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(commands))
    return table


def plain_or_clamped(text: str, styles: Styles, room: float, lines: int) -> Any:
    """`text` as plain text when it fits one line, else cut to `lines` lines."""
    if "\n" not in text and string_width(text, styles.sheet.text) <= room:
        return text
    return clamped(text, styles.cell, room, lines)


def signature_boxes(captions: Sequence[str], styles: Styles, width: float, height: float) -> Table:
    """Framed boxes side by side to sign in, each with a date line at the bottom."""
    gap = 4 * mm
    box_w = (width - gap * (len(captions) - 1)) / len(captions)
    date_line = _("Date:") + " ____________________"
    caption_h = max(para(c, styles.label).wrap(box_w - 12, height)[1] for c in captions)
    date_h = para(date_line, styles.label).wrap(box_w - 12, height)[1]
    # The room to sign in is what the height leaves once captions and date lines are set.
    room = max(6 * mm, height - caption_h - date_h - 15)
    boxes = []
    for caption in captions:
        box = Table(
            [[para(caption, styles.label)], [""], [para(date_line, styles.label)]],
            colWidths=[box_w],
            rowHeights=[None, room, None],
        )
        box.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        boxes.append(box)
    widths: list[float] = []
    for n in range(len(boxes)):
        widths.append(box_w + (gap if n < len(boxes) - 1 else 0))
    table = Table([boxes], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def branch_details(branch: BranchRead | None) -> str:
    if branch is None:
        return ""
    details = []
    if branch.address:
        details.append(_("Address: {address}").format(address=branch.address))
    if branch.phone:
        details.append(_("Phone: {phone}").format(phone=branch.phone))
    return "    ".join(details)


def draw_page_header(
    canvas: Canvas, sheet: Sheet, branch: BranchRead | None, *, tag: str = ""
) -> float:
    """The branch's name and details across the top, `tag` framed at the right; returns the y
    of the rule under it."""
    font = register_fonts()
    left = sheet.margin_x
    right = sheet.width - sheet.margin_x
    top = sheet.height - sheet.margin_top
    room = sheet.content_width
    if tag:
        tag_size = sheet.text * 1.15
        tag_w = string_width(tag, tag_size) + tag_size * 1.6
        tag_h = tag_size * 2.0
        canvas.saveState()
        canvas.setLineWidth(1.0)
        canvas.rect(right - tag_w, top - tag_h, tag_w, tag_h, stroke=1, fill=0)
        draw_bold_string(canvas, right - tag_w + tag_size * 0.8, top - tag_h + tag_size * 0.62, tag, tag_size)
        canvas.restoreState()
        room -= tag_w + 4 * mm
    name = branch.name if branch and branch.name else _("Service center")
    size = fit_font_size(name, room, sheet.branch, sheet.text)
    draw_bold_string(canvas, left, top - sheet.branch * 0.95, elide(name, room, size), size)
    details = branch_details(branch)
    if details:
        canvas.saveState()
        canvas.setFillColor(GREY)
        canvas.setFont(font, sheet.small)
        canvas.drawString(left, top - sheet.branch * 1.0 - sheet.small * 1.6, elide(details, room, sheet.small))
        canvas.restoreState()
    y = top - sheet.header_height
    canvas.saveState()
    canvas.setLineWidth(0.9)
    canvas.line(left, y, right, y)
    canvas.restoreState()
    return y


def draw_footer(canvas: Canvas, sheet: Sheet, left_text: str, right_text: str) -> None:
    font = register_fonts()
    size = sheet.small
    y = sheet.margin_bottom - size * 1.8
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(sheet.margin_x, y + size + 2, sheet.width - sheet.margin_x, y + size + 2)
    canvas.setFillColor(GREY)
    canvas.setFont(font, size)
    canvas.drawRightString(sheet.width - sheet.margin_x, y, right_text)
    room = sheet.content_width - string_width(right_text, size) - 6 * mm
    canvas.drawString(sheet.margin_x, y, elide(left_text, room, size))
    canvas.restoreState()


# --- the work order -------------------------------------------------------------------------------


def _top(ticket: TicketRead, styles: Styles) -> Table:
    """Title, the number in large type and the job's key facts, beside the QR code."""
    sheet = styles.sheet
    left_w = sheet.content_width - sheet.qr - 3 * mm
    facts = form(
        None,
        [
            [(_("Priority"), priority_label(ticket.priority)), (_("Due by"), local_time(ticket.resolution_due))],
            [(_("Reported"), local_time(ticket.reported_at)), (_("Channel"), channel_label(ticket.channel))],
            [(_("Technician"), ticket.assignee_name or DASH), (_("Status"), status_label(ticket.status))],
        ],
        styles,
        left_w,
    )
    left = [
        para(_("Work order"), styles.title),
        Spacer(1, sheet.gap * 0.5),
        fitted(ticket.ticket_no, styles.number, left_w, sheet.text),
        Spacer(1, sheet.gap * 0.6),
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


def _work_done(ticket: TicketRead, styles: Styles, width: float) -> list[Flowable]:
    """What is known of the work, or lines to write it on."""
    sheet = styles.sheet
    inner = width - PAD - right_pad(sheet)
    texts = []
    if ticket.diagnosis:
        texts.append((_("Diagnosis: {text}").format(text=ticket.diagnosis), 2))
    if ticket.actions:
        texts.append((_("Done: {actions}").format(actions=actions_text(ticket)), 1))
    if ticket.resolution:
        texts.append((_("Resolution: {text}").format(text=ticket.resolution), 2))
    if not texts:
        return [RuledLines(sheet.note_lines, sheet.text * 2.1)]
    # A line each; the lines left go in turn to the diagnosis and the resolution (the list of
    # actions is short).
    lines = [1] * len(texts)
    spare = sheet.work_lines - len(texts)
    while spare > 0 and any(weight > 1 for _text, weight in texts):
        for n, (_text, weight) in enumerate(texts):
            if weight > 1 and spare > 0:
                lines[n] += 1
                spare -= 1
    cut = [clamp_text(text, styles.value, inner, count) for (text, _weight), count in zip(texts, lines, strict=True)]
    return [para("\n".join(cut), styles.value)]


def _work_order_story(ticket: TicketRead, styles: Styles) -> list[Flowable]:
    sheet = styles.sheet
    width = sheet.content_width
    span = value_width(styles, width, span=True)
    half = value_width(styles, width, span=False)
    gap = Spacer(1, sheet.gap)
    merchant = form(
        _("Merchant"),
        [
            [(_("Merchant"), clamped(ticket.merchant_name or DASH, styles.value, span, sheet.name_lines))],
            [(_("Merchant no."), ticket.merchant_no), (_("Contact"), clamped(contact_text(ticket) or DASH, styles.value, half, 2))],
            [(_("Address"), clamped(ticket.merchant_address or DASH, styles.value, span, sheet.address_lines))],
        ],
        styles,
        width,
    )
    terminal = form(
        _("Terminal and coverage"),
        [
            [(_("Serial no. (SN)"), fitted(ticket.serial_no, styles.strong, half, sheet.text * 0.6)), (_("Model"), model_text(ticket))],
            [(_("Terminal no."), ticket.terminal_no), (_("Coverage"), coverage_text(ticket))],
            [(_("Coverage reason"), clamped(ticket.coverage_reason or DASH, styles.value, span, sheet.reason_lines))],
        ],
        styles,
        width,
    )
    fault = form(
        _("Fault"),
        [
            [(_("Fault"), ticket.fault_label)],
            [(_("Description"), clamped(ticket.description or DASH, styles.value, span, sheet.description_lines))],
        ],
        styles,
        width,
    )
    checks = form(
        _("Checks on site"),
        [],
        styles,
        width,
        body=[TickBoxes([_(item) for item in CHECKLIST], sheet.checklist_columns, sheet.text)],
    )
    work = form(_("Diagnosis and work done"), [], styles, width, body=_work_done(ticket, styles, width))
    parts = parts_table(
        ticket, styles, width, max_rows=sheet.part_rows, blank_rows=sheet.blank_part_rows, part_lines=1
    )
    return [_top(ticket, styles), gap, merchant, gap, terminal, gap, fault, gap, checks, gap, work, gap, parts]


def _draw_work_order(
    canvas: Canvas,
    ticket: TicketRead,
    styles: Styles,
    compact: Styles,
    branch: BranchRead | None,
    copy: str,
    printed: str,
) -> None:
    sheet = styles.sheet
    tag = copy_label(copy)
    rule_y = draw_page_header(canvas, sheet, branch, tag=tag)

    # The signature boxes sit at the foot of the page, wherever the form ends.
    signatures = signature_boxes(
        [_("Technician (signature)"), _("Customer (signature)")],
        styles,
        sheet.content_width,
        sheet.signature_height,
    )
    _w, sig_h = signatures.wrap(sheet.content_width, sheet.signature_height * 2)
    sig_y = sheet.margin_bottom
    signatures.drawOn(canvas, sheet.margin_x, sig_y)

    top = rule_y - sheet.gap
    bottom = sig_y + sig_h + sheet.gap
    width, height = sheet.content_width, top - bottom
    story: list[Flowable] = []
    for level in (styles, compact):
        story = _work_order_story(ticket, level)
        heights = [f.wrap(width, height)[1] for f in story]
        if sum(heights) <= height:
            y = top
            for flowable, h in zip(story, heights, strict=True):
                y -= h
                flowable.drawOn(canvas, sheet.margin_x, y)
            break
    else:
        # Still too tall (a great many long texts): the compact form made smaller to fit.
        frame = Frame(
            sheet.margin_x, bottom, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        story = _work_order_story(ticket, compact)
        frame.addFromList([KeepInFrame(width, height, story, mode="shrink")], canvas)
    draw_footer(canvas, sheet, f"{_('Work order')} · {ticket.ticket_no} · {tag}", printed)


def work_order_pdf(
    tickets: Sequence[TicketRead],
    *,
    branch: BranchRead | None,
    page_size: PageSize = "A4",
    copies: Sequence[str] = ("shop",),
    printed_at: datetime,
) -> bytes:
    """Work orders for `tickets` in the given order: one page per ticket and copy.

    `copies` names the copies ("customer", "shop") each ticket is printed in, one after the
    other; each page says which copy it is. Phones are printed as the tickets carry them (the
    service masks them for roles that may not see them).
    """
    if page_size not in SHEETS:
        raise ValueError(f"unknown page size {page_size!r}")
    unknown = [c for c in copies if c not in COPY_LABELS]
    if unknown or not copies:
        raise ValueError(f"unknown copies {list(copies)!r}")
    font = register_fonts()
    sheet = SHEETS[page_size]
    styles = Styles(sheet)
    compact = Styles(COMPACT[page_size])
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(sheet.width, sheet.height),
        pageCompression=1,
        initialFontName=font,
        lang="zh-CN" if current_language() == "zh_CN" else "en",
    )
    title = _("Work order")
    canvas.setTitle(title)
    if tickets:
        numbers = tickets[0].ticket_no if len(tickets) == 1 else f"{tickets[0].ticket_no} … {tickets[-1].ticket_no}"
        canvas.setSubject(numbers)
    canvas.setAuthor(branch.name if branch else "")
    canvas.setCreator(CREATOR)
    printed = _("Printed {time}").format(time=local_time(printed_at))
    for ticket in tickets:
        for copy in copies:
            _draw_work_order(canvas, ticket, styles, compact, branch, copy, printed)
            canvas.showPage()
    if not tickets:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
