"""The shipped categories, loaded by a migration from `data/categories.json`."""

import json
from pathlib import Path
from typing import Any

CATEGORIES = Path(__file__).resolve().parent / "data" / "categories.json"


def load_shipped_categories(category_model: Any) -> None:
    """Create or refresh the shipped categories; takes the model so migrations can pass
    their historical one."""
    for row in json.loads(CATEGORIES.read_text(encoding="utf-8")):
        category_model.objects.update_or_create(code=row["code"], defaults=row)
