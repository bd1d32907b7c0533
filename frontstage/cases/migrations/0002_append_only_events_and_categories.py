import json
from pathlib import Path
from typing import Any

from django.db import migrations

from frontstage.lib.append_only import make_append_only

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "categories.json"


def load_categories(apps: Any, schema_editor: Any) -> None:
    category = apps.get_model("cases", "Category")
    for row in json.loads(SHIPPED.read_text(encoding="utf-8")):
        category.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [
        make_append_only("cases_caseevent"),
        migrations.RunPython(load_categories, migrations.RunPython.noop),
    ]
