"""Record a follow-up call (回访) on a closed ticket: reached or not, satisfaction 1–5, comments."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.context import Context
from app.i18n import _
from app.models.ticket import FollowUpCallCreate, FollowUpCallRead, TicketRead
from app.services import tickets
from ui.tickets.step_dialog import TicketDialog
from ui.tickets.work_panel import mnemonic

SCORES = (1, 2, 3, 4, 5)


class FollowUpDialog(TicketDialog):
    """`result_call` is the call recorded; `reopened` says whether the ticket was reopened."""

    def __init__(self, ctx: Context, ticket: TicketRead, parent: QWidget | None = None) -> None:
        super().__init__(
            ticket,
            object_name="followUpDialog",
            title=_("Follow-up call · {number}").format(number=ticket.ticket_no),
            note=_("Call {name} about ticket {number} ({merchant}).").format(
                name=ticket.contact_name or _("the customer"), number=ticket.ticket_no, merchant=ticket.merchant_name
            ),
            error_name="followUpError",
            parent=parent,
        )
        self.ctx = ctx
        self.result_call: FollowUpCallRead | None = None
        self.reopened = False

        self.reached_radio = QRadioButton(mnemonic(_("Reached"), "r"))
        self.reached_radio.setObjectName("reachedRadio")
        self.not_reached_radio = QRadioButton(mnemonic(_("Not reached"), "n"))
        self.not_reached_radio.setObjectName("notReachedRadio")
        self.reached_group = QButtonGroup(self)
        self.reached_group.addButton(self.reached_radio)
        self.reached_group.addButton(self.not_reached_radio)
        self.reached_radio.setChecked(True)
        reached = QWidget()
        reached_row = QHBoxLayout(reached)
        reached_row.setContentsMargins(0, 0, 0, 0)
        reached_row.addWidget(self.reached_radio)
        reached_row.addWidget(self.not_reached_radio)
        reached_row.addStretch(1)

        # 1 (very unhappy) to 5 (very satisfied); digits 1-5 are their mnemonics.
        self.score_group = QButtonGroup(self)
        self.score_radios: dict[int, QRadioButton] = {}
        scores = QWidget()
        scores.setObjectName("satisfactionBox")
        score_row = QHBoxLayout(scores)
        score_row.setContentsMargins(0, 0, 0, 0)
        unhappy = QLabel(_("unhappy"))
        unhappy.setObjectName("unhappyLabel")
        score_row.addWidget(unhappy)
        for score in SCORES:
            radio = QRadioButton(f"&{score}")
            radio.setObjectName(f"satisfaction{score}Radio")
            radio.setToolTip(_("1 = very unhappy, 5 = very satisfied"))
            self.score_group.addButton(radio, score)
            self.score_radios[score] = radio
            score_row.addWidget(radio)
        satisfied = QLabel(_("very satisfied"))
        satisfied.setObjectName("satisfiedLabel")
        score_row.addWidget(satisfied)
        score_row.addStretch(1)

        self.comments_edit = QPlainTextEdit()
        self.comments_edit.setObjectName("commentsEdit")
        self.comments_edit.setTabChangesFocus(True)
        self.comments_edit.setFixedHeight(self.comments_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.reopen_check = QCheckBox(mnemonic(_("Reopen the ticket (the customer is not satisfied)"), "o"))
        self.reopen_check.setObjectName("reopenCheck")

        form = QFormLayout()
        self.add_row(form, _("Customer"), "reached", reached)
        self.add_row(form, _("Satisfaction"), "satisfaction", scores)
        self.add_row(form, _("Comments"), "comments", self.comments_edit)
        form.addRow("", self.reopen_check)
        self.main_layout.addLayout(form)
        self.finish(_("Record call"), "recordCallButton")
        self.setMinimumWidth(460)
        self.reached_radio.toggled.connect(self._reached_changed)
        self._reached_changed(True)
        self.reached_radio.setFocus()

    def _reached_changed(self, reached: bool) -> None:
        for radio in self.score_radios.values():
            radio.setEnabled(reached)

    def satisfaction(self) -> int | None:
        score = self.score_group.checkedId()
        return score if score in SCORES and self.reached_radio.isChecked() else None

    def save(self) -> None:
        call = FollowUpCallCreate(
            reached=self.reached_radio.isChecked(),
            satisfaction=self.satisfaction(),
            comments=self.comments_edit.toPlainText(),
            reopen=self.reopen_check.isChecked(),
        )
        self.result_call = self.submit(lambda: tickets.record_follow_up(self.ctx, self.ticket.id, call))
        self.reopened = self.result_call is not None and call.reopen
