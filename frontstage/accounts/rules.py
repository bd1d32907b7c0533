import rules

from frontstage.units.scope import administers

# Staff records are managed by unit admins; which staff and units they see is narrowed in the
# admin by `unit_ids`, and roles can only be granted at units in the admin's scope.
rules.add_perm("accounts.view_staff", administers)
rules.add_perm("accounts.add_staff", administers)
rules.add_perm("accounts.change_staff", administers)
rules.add_perm("accounts.view_role", administers)
rules.add_perm("accounts.add_role", administers)
rules.add_perm("accounts.change_role", administers)
rules.add_perm("accounts.delete_role", administers)
