import rules

from frontstage.units.scope import (
    administers,
    decides_cases,
    does_casework,
    handles_cases,
    supervises,
)

# Reading casework: every casework role at the case's unit or above.
rules.add_perm("cases.view_case", does_casework)
rules.add_perm("cases.view_evidence", does_casework)
rules.add_perm("cases.view_order", does_casework)
rules.add_perm("cases.view_legalground", does_casework)
# Triage: intake agents, analysts and supervisors.
rules.add_perm("cases.assign_case", handles_cases)
rules.add_perm("cases.move_case", handles_cases)
rules.add_perm("cases.triage_case", handles_cases)
rules.add_perm("cases.export_evidence", handles_cases)
# Decisions: analysts and supervisors; approvals, appeals and alerts: supervisors. That the
# approver and the appeal reviewer are other people than the decider is checked by the actions.
rules.add_perm("cases.decide_case", decides_cases)
rules.add_perm("cases.approve_sanction", supervises)
rules.add_perm("cases.decide_appeal", supervises)
rules.add_perm("cases.acknowledge_alert", supervises)
# The library of legal grounds and the categories: unit admins.
rules.add_perm("cases.view_category", administers)
rules.add_perm("cases.add_category", administers)
rules.add_perm("cases.change_category", administers)
rules.add_perm("cases.add_legalground", administers)
rules.add_perm("cases.change_legalground", administers)
