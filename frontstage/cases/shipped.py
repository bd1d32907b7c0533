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


GROUNDS = Path(__file__).resolve().parent / "data" / "legal_grounds.json"


def load_shipped_grounds(ground_model: Any, category_model: Any) -> None:
    """Create or refresh the shipped legal grounds (national, no unit)."""
    for row in json.loads(GROUNDS.read_text(encoding="utf-8")):
        category = category_model.objects.get(code=row.pop("category"))
        ground_model.objects.update_or_create(
            category=category, unit=None, reference=row.pop("reference"), defaults=row
        )
