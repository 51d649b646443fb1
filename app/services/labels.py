"""Labels for terminals: one service the screens and the command line share."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from app.context import Context
from app.errors import NotFound, ValidationError
from app.i18n import _, ngettext
from app.reports.labels import LabelLayout, terminal_labels_pdf
from app.rules.permissions import Action
from app.services.base import service
from app.services.setup import current_branch
from app.services.terminals import read_terminals

# 100 A4 sheets; more at once is a mistake rather than a print job.
MAX_LABELS = 2400


@service(Action.TERMINALS_VIEW, write=False)
def terminal_labels(ctx: Context, terminal_ids: Sequence[uuid.UUID], layout: LabelLayout) -> bytes:
    """A PDF of labels for the terminals, in the given order (an id given twice prints twice)."""
    ids = list(terminal_ids)
    if not ids:
        raise ValidationError.single("terminal_ids", _("Please choose the terminals to print labels for."))
    if len(ids) > MAX_LABELS:
        raise ValidationError.single(
            "terminal_ids",
            _("At most {max} labels can be printed at once; please choose fewer terminals.").format(
                max=MAX_LABELS
            ),
        )
    terminals = read_terminals(ctx, ids)
    missing = len(set(ids) - {t.id for t in terminals})
    if missing:
        raise NotFound(
            ngettext(
                "{count} of the chosen terminals no longer exists; please reload the list.",
                "{count} of the chosen terminals no longer exist; please reload the list.",
                missing,
            ).format(count=missing)
        )
    branch = current_branch(ctx)
    return terminal_labels_pdf(terminals, LabelLayout(layout), branch_name=branch.name if branch else "")
