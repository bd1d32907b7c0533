import rules

from frontstage.units.scope import does_casework, oversees, publishes

# Drafts are casework: every casework role of the unit may read them; publishers write,
# approve and withdraw them.
rules.add_perm("publish.view_publication", does_casework)
rules.add_perm("publish.change_publication", publishes)
# Transparency reports: publishers build and publish; supervisors and auditors may build too.
rules.add_perm("publish.view_transparencyreport", does_casework | oversees)
rules.add_perm("publish.build_transparencyreport", publishes | oversees)
rules.add_perm("publish.publish_transparencyreport", publishes)
