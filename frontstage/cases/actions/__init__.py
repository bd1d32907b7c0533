"""Every change to cases, one module per part of casework: `core` (open, assign, move,
decide, categories), `triage`, `evidence`, `decisions` (sanctions, approvals, strikes, orders,
statements of reasons) and `appeals`. The core actions are importable from here."""

from frontstage.cases.actions.core import (
    CATEGORY_FIELDS,
    CaseError,
    add_case_event,
    assign_case,
    decide_case,
    move_case,
    open_case,
    save_category,
)

__all__ = [
    "CATEGORY_FIELDS",
    "CaseError",
    "add_case_event",
    "assign_case",
    "decide_case",
    "move_case",
    "open_case",
    "save_category",
]
