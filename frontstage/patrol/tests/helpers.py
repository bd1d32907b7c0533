"""Small rule packs written to a temporary directory, as a unit admin would write them."""

import tempfile
import textwrap
from pathlib import Path

from frontstage.patrol.engine import Category, Post, RulePack, load_pack, shipped_pack, verdict

DATA = Path(__file__).parent / "data"


def write_pack(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def pack_of(files: dict[str, str]) -> RulePack:
    with tempfile.TemporaryDirectory() as directory:
        return load_pack(write_pack(Path(directory), files))


def categories(text: str, lang: str | None = None) -> list[Category]:
    """The categories the shipped pack flags `text` with."""
    return verdict(shipped_pack().evaluate(Post(id="t", text=text, lang=lang))).categories
