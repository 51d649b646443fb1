"""One service contract shown in full: under the contract list, and read-only in a window."""

from __future__ import annotations

import uuid
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.models.warranty import ContractStatus, ServiceContractRead
from app.rules.coverage import contract_status_label, exclusion_label, items_text
from ui.shared.formatting import local_datetime, yes_no
from ui.shared.widgets import date_text, money_text, push_button, value_label
from ui.warranty.contract_table_model import merchant_text


def _camel(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(part.title() for part in rest)


def _link(kind: str, target: str, text: str) -> str:
    return f'<a href="{kind}:{escape(target)}">{escape(text)}</a>'


class ContractDetails(QGroupBox):
    """Every field of one contract; its terminals and renewal links can be followed.

    `terminalOpened` and `merchantOpened` carry a uuid.UUID, `contractRequested` a contract no.
    """

    merchantOpened = Signal(object)
    terminalOpened = Signal(object)
    contractRequested = Signal(str)

    # The keys in reading order: the left column, then the right.
    LEFT = ("contract_no", "status", "merchant", "period", "sla", "working_hours_only", "free_items", "exclusions")
    RIGHT = ("fee", "terminals", "renewal", "termination", "notes", "updated_at")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Contract"), parent)
        self.setObjectName("contractDetails")
        self.contract: ServiceContractRead | None = None
        self.values: dict[str, QLabel] = {}
        labels = {
            "contract_no": _("Contract no."),
            "status": _("Status"),
            "merchant": _("Merchant"),
            "period": _("Period"),
            "sla": _("Response / resolution"),
            "working_hours_only": _("Working hours only"),
            "free_items": _("Free of charge"),
            "exclusions": _("Exclusions"),
            "fee": _("Fee"),
            "terminals": _("Terminals"),
            "renewal": _("Renewal"),
            "termination": _("Termination"),
            "notes": _("Notes"),
            "updated_at": _("Last changed"),
        }
        self.empty_label = QLabel(_("Select a contract to see it here."))
        self.empty_label.setObjectName("contractEmptyLabel")
        self.open_merchant_button = push_button("openMerchantButton", _("Open merchant"), self._open_merchant)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for column, keys in ((0, self.LEFT), (2, self.RIGHT)):
            for row, key in enumerate(keys):
                label = QLabel(labels[key])
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                value = value_label(_camel(key) + "Value")
                value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if key in ("merchant", "terminals", "renewal"):
                    value.setTextFormat(Qt.TextFormat.RichText)
                    value.setTextInteractionFlags(
                        Qt.TextInteractionFlag.TextBrowserInteraction
                    )
                    value.linkActivated.connect(self._follow)
                else:
                    value.setTextFormat(Qt.TextFormat.PlainText)
                self.values[key] = value
                grid.addWidget(label, row, column)
                grid.addWidget(value, row, column + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(2, 0)
        self.body = QWidget()
        self.body.setObjectName("contractDetailsBody")
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        # The splitter may leave little room under the list.
        scroll = QScrollArea()
        scroll.setObjectName("contractDetailsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.open_merchant_button)
        layout.addLayout(actions)
        self.show_contract(None)

    def show_contract(self, contract: ServiceContractRead | None) -> None:
        self.contract = contract
        self.empty_label.setVisible(contract is None)
        self.body.setVisible(contract is not None)
        self.open_merchant_button.setVisible(contract is not None)
        if contract is None:
            for value in self.values.values():
                value.clear()
            return
        c = contract
        text = {
            "contract_no": c.contract_no,
            "status": contract_status_label(c.status),
            "period": _("{start} to {end}").format(start=date_text(c.start_date), end=date_text(c.end_date)),
            "sla": _("respond within {response} h, resolve within {resolution} h").format(
                response=c.response_hours, resolution=c.resolution_hours
            ),
            "working_hours_only": yes_no(c.working_hours_only),
            "free_items": items_text(c.free_items),
            "exclusions": _(", ").join(exclusion_label(e) for e in c.exclusions) or _("none"),
            "fee": money_text(c.fee_fen),
            "termination": self._termination(c),
            "notes": c.notes,
            "updated_at": local_datetime(c.updated_at),
        }
        for key, shown in text.items():
            self.values[key].setText(shown)
        self.values["merchant"].setText(_link("merchant", str(c.merchant_id), merchant_text(c)))
        self.values["terminals"].setText(self._terminals(c))
        self.values["renewal"].setText(self._renewal(c))

    @staticmethod
    def _termination(c: ServiceContractRead) -> str:
        if c.status != ContractStatus.TERMINATED or c.terminated_on is None:
            return ""
        return _("terminated on {date}: {reason}").format(
            date=date_text(c.terminated_on), reason=c.termination_reason
        )

    @staticmethod
    def _terminals(c: ServiceContractRead) -> str:
        if c.all_terminals:
            return escape(_("all the merchant's terminals"))
        count = ngettext("{n} terminal", "{n} terminals", len(c.terminal_ids)).format(
            n=len(c.terminal_ids)
        )
        links = ", ".join(
            _link("terminal", str(t), sn) for t, sn in zip(c.terminal_ids, c.terminal_serials, strict=False)
        )
        return f"{escape(count)}: {links}" if links else escape(count)

    @staticmethod
    def _renewal(c: ServiceContractRead) -> str:
        parts = []
        if c.renews_no:
            link = _link("contract", c.renews_no, c.renews_no)
            parts.append(escape(_("renews {number}")).format(number=link))
        if c.renewed_by_no:
            link = _link("contract", c.renewed_by_no, c.renewed_by_no)
            parts.append(escape(_("renewed by {number}")).format(number=link))
        return "<br>".join(parts) or escape(_("none"))

    def _follow(self, href: str) -> None:
        kind, _sep, target = href.partition(":")
        if kind == "terminal":
            self.terminalOpened.emit(uuid.UUID(target))
        elif kind == "merchant":
            self.merchantOpened.emit(uuid.UUID(target))
        elif kind == "contract":
            self.contractRequested.emit(target)

    def _open_merchant(self) -> None:
        if self.contract is not None:
            self.merchantOpened.emit(self.contract.merchant_id)


class ContractViewDialog(QDialog):
    """A contract that can no longer be edited, read-only; following a link closes the window."""

    def __init__(self, contract: ServiceContractRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ContractViewDialog")
        self.setWindowTitle(_("Contract {number}").format(number=contract.contract_no))
        self.details = ContractDetails(self)
        self.details.setTitle("")
        self.details.show_contract(contract)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("closeButtons")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        for signal in (
            self.details.merchantOpened,
            self.details.terminalOpened,
            self.details.contractRequested,
        ):
            signal.connect(lambda _value: self.accept())
        # Room for the usual contract; long notes scroll.
        self.resize(900, 380)
