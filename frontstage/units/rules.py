import rules

from frontstage.units.scope import administers, has_any_role

rules.add_perm("console.enter", has_any_role)
rules.add_perm("units.view_unit", administers)
rules.add_perm("units.add_unit", administers)
rules.add_perm("units.change_unit", administers)
