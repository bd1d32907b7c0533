from django.db import migrations

from frontstage.lib.append_only import make_append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [make_append_only("audit_auditevent")]
