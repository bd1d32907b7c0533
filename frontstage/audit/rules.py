import rules

from frontstage.units.scope import oversees

rules.add_perm("audit.view_auditevent", oversees)
