import rules

from frontstage.accounts.models import RoleKind
from frontstage.units.scope import ADMINISTRATION, CASEWORK, OVERSIGHT, holds

# Reading the rules and their figures is for everyone who works cases or oversees them;
# switching a rule between shadow and live is for supervisors and unit admins.
rules.add_perm("patrol.view_rules", holds(CASEWORK | OVERSIGHT | ADMINISTRATION, "sees_rules"))
rules.add_perm(
    "patrol.change_rule",
    holds(frozenset({RoleKind.SUPERVISOR, RoleKind.UNIT_ADMIN}), "tunes_rules"),
)
