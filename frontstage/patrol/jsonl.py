"""Posts from JSON Lines: one object per line. A bad line is reported, never fatal."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from frontstage.patrol.engine import BENIGN, Category, Post

LABELS = frozenset({BENIGN, *(c.value for c in Category)})


class BadLine(ValueError):
    """A line that is not a post; the message says what is wrong with it."""


@dataclass(frozen=True)
class Line:
    number: int  # from 1, as an editor shows it
    size: int  # bytes, for progress
    post: Post | None
    label: str | None
    problem: str | None


def read_posts(source: IO[bytes], *, images_from: Path, labelled: bool = False) -> Iterator[Line]:
    """Every non-blank line, in order, as a post or as a problem. Relative image paths are
    read from `images_from` (the directory of the input file)."""
    for number, raw in enumerate(source, start=1):
        if not raw.strip():
            continue
        try:
            post, label = _parse(raw, images_from, labelled)
        except BadLine as problem:
            yield Line(number, len(raw), None, None, str(problem))
            continue
        yield Line(number, len(raw), post, label, None)


def _parse(raw: bytes, images_from: Path, labelled: bool) -> tuple[Post, str | None]:
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadLine("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadLine(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise BadLine('not a JSON object like {"id": "1", "text": "…"}')
    post_id = data.get("id")
    if isinstance(post_id, bool) or not isinstance(post_id, str | int) or post_id == "":
        raise BadLine('"id" is missing or is not a string or number')
    text = data.get("text", "")
    if not isinstance(text, str):
        raise BadLine('"text" must be a string')
    urls = data.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise BadLine('"urls" must be a list of strings')
    lang = data.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise BadLine('"lang" must be a string such as "en" or "zh-Hant"')
    image = data.get("image")
    if image is not None and not isinstance(image, str):
        raise BadLine('"image" must be the path of an image file')
    label = _label(data) if labelled else None
    return Post(
        id=str(post_id),
        text=text,
        urls=urls,
        image=images_from / image if image else None,
        lang=lang,
        source=str(data.get("source", "")),
    ), label


def _label(data: dict[str, Any]) -> str:
    label = data.get("label")
    if label not in LABELS:
        raise BadLine(f'"label" {label!r} is not one of: {", ".join(sorted(LABELS))}')
    return str(label)
