import rules

from frontstage.units.scope import administers, does_casework, handles_cases

rules.add_perm("cases.view_case", does_casework)
rules.add_perm("cases.assign_case", handles_cases)
rules.add_perm("cases.move_case", handles_cases)
rules.add_perm("cases.view_category", administers)
rules.add_perm("cases.add_category", administers)
rules.add_perm("cases.change_category", administers)
