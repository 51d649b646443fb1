"""The life of a terminal: which status may follow which, and firmware versions compared."""

from __future__ import annotations

import re

from app.i18n import N_, _
from app.models.terminal import DepositStatus, TerminalStatus, TerminalType

S = TerminalStatus

# status -> statuses it may change to directly (bind, unbind and swap have their own services).
TRANSITIONS: dict[TerminalStatus, frozenset[TerminalStatus]] = {
    S.IN_STOCK: frozenset({S.IN_REPAIR, S.LOST, S.SCRAPPED}),
    S.DEPLOYED: frozenset({S.IN_REPAIR, S.SUSPENDED, S.LOST}),
    S.IN_REPAIR: frozenset({S.IN_STOCK, S.SCRAPPED}),
    S.SUSPENDED: frozenset({S.DEPLOYED, S.LOST}),
    S.LOST: frozenset({S.IN_STOCK, S.SCRAPPED}),
    S.RETURNED: frozenset({S.IN_STOCK, S.SCRAPPED}),
    S.SCRAPPED: frozenset(),
}
# A terminal at a merchant stays bound through repair, suspension and loss.
HELD_BY_MERCHANT = frozenset({S.DEPLOYED, S.SUSPENDED})
BINDABLE = frozenset({S.IN_STOCK, S.RETURNED})
UNBINDABLE = frozenset({S.DEPLOYED, S.SUSPENDED, S.IN_REPAIR, S.LOST})
# What an unbound terminal becomes: back in stock, or returned by the merchant.
UNBIND_TARGETS = frozenset({S.IN_STOCK, S.RETURNED})

STATUS_LABELS: dict[TerminalStatus, str] = {
    S.IN_STOCK: N_("in stock"),
    S.DEPLOYED: N_("deployed"),
    S.IN_REPAIR: N_("in repair"),
    S.SUSPENDED: N_("suspended"),
    S.LOST: N_("lost"),
    S.RETURNED: N_("returned"),
    S.SCRAPPED: N_("scrapped"),
}
TYPE_LABELS: dict[TerminalType, str] = {
    TerminalType.ESIGN: N_("e-signature"),
    TerminalType.SMART: N_("smart"),
    TerminalType.TRADITIONAL: N_("traditional"),
}
DEPOSIT_LABELS: dict[DepositStatus, str] = {
    DepositStatus.NONE: N_("no deposit"),
    DepositStatus.HELD: N_("held"),
    DepositStatus.REFUND_PENDING: N_("refund pending"),
    DepositStatus.REFUNDED: N_("refunded"),
    DepositStatus.FORFEITED: N_("forfeited"),
}


def status_label(status: TerminalStatus | str) -> str:
    return _(STATUS_LABELS[TerminalStatus(status)])


def type_label(kind: TerminalType | str) -> str:
    return _(TYPE_LABELS[TerminalType(kind)])


def deposit_label(status: DepositStatus | str) -> str:
    return _(DEPOSIT_LABELS[DepositStatus(status)])


def transition_problem(current: TerminalStatus, target: TerminalStatus) -> str | None:
    """Why a terminal may not go from `current` to `target` directly, or None."""
    if target in TRANSITIONS[current]:
        return None
    if current == S.SCRAPPED:
        return _("A scrapped terminal cannot change any more.")
    if target == S.DEPLOYED:
        return _("Bind the terminal to a merchant to deploy it.")
    return _("A terminal that is {current} cannot become {target}.").format(
        current=status_label(current), target=status_label(target)
    )


def allowed_targets(current: TerminalStatus) -> list[TerminalStatus]:
    return sorted(TRANSITIONS[current], key=list(TerminalStatus).index)


_VERSION_PART = re.compile(r"\d+|[A-Za-z]+")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders firmware versions as people read them: V2.10.0 is newer than V2.9.3."""
    parts = _VERSION_PART.findall(version.lstrip("vV"))
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts)


def is_older(version: str, than: str) -> bool:
    return version_key(version) < version_key(than)
