"""The printed warranty documents: one service each, shared by the screens and the command line."""

from __future__ import annotations

import uuid

from app.context import Context
from app.errors import NotFound
from app.i18n import _
from app.models.terminal import TerminalFilter, TerminalRead
from app.models.warranty import ExclusionCause
from app.reports.warranty_docs import contract_summary_pdf, warranty_certificate_pdf
from app.rules.permissions import Action
from app.services.base import service
from app.services.setup import current_branch
from app.services.terminals import list_terminals, read_terminals
from app.services.warranty import (
    coverage,
    coverage_history,
    get_contract,
    get_warranty_policy,
    today,
)

# A contract for all of a merchant's terminals lists at most this many of them (the largest page
# the terminal list gives) and says how many more there are.
MAX_TERMINALS = 500


@service(Action.WARRANTY_VIEW, write=False)
def warranty_certificate(ctx: Context, terminal_id: uuid.UUID) -> bytes:
    """The warranty certificate (保修卡) of a terminal as a PDF, with its coverage today."""
    found = read_terminals(ctx, [terminal_id])
    if not found:
        raise NotFound(_("This terminal does not exist."))
    terminal = found[0]
    now = today(ctx)
    covered = coverage(ctx, terminal_id, now)
    history = coverage_history(ctx, terminal_id)
    exclusions: list[ExclusionCause] = []
    if covered.policy_id is not None:
        exclusions = list(get_warranty_policy(ctx, covered.policy_id).exclusions)
    branch = current_branch(ctx)
    return warranty_certificate_pdf(
        terminal,
        covered,
        history,
        branch_name=branch.name if branch else "",
        branch_phone=branch.phone if branch else "",
        branch_address=branch.address if branch else "",
        printed_on=now,
        exclusions=exclusions,
    )


@service(Action.WARRANTY_VIEW, write=False)
def contract_summary(ctx: Context, contract_id: uuid.UUID) -> bytes:
    """The summary of a service contract as a PDF, with the terminals it covers."""
    contract = get_contract(ctx, contract_id)
    terminals: list[TerminalRead]
    more = 0
    if contract.all_terminals:
        page = list_terminals(
            ctx, TerminalFilter(merchant_id=contract.merchant_id), offset=0, limit=MAX_TERMINALS
        )
        terminals = list(page.items)
        more = page.total - len(terminals)
    else:
        terminals = read_terminals(ctx, contract.terminal_ids)
    branch = current_branch(ctx)
    return contract_summary_pdf(
        contract,
        branch_name=branch.name if branch else "",
        branch_phone=branch.phone if branch else "",
        branch_address=branch.address if branch else "",
        printed_on=today(ctx),
        terminals=terminals,
        more_terminals=more,
    )
