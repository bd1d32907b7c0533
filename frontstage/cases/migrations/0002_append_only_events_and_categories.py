from typing import Any

from django.db import migrations

from frontstage.cases.shipped import load_shipped_categories
from frontstage.lib.append_only import make_append_only


def load_categories(apps: Any, schema_editor: Any) -> None:
    load_shipped_categories(apps.get_model("cases", "Category"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [
        make_append_only("cases_caseevent"),
        migrations.RunPython(load_categories, migrations.RunPython.noop),
    ]
