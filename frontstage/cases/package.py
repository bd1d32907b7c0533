"""The evidence package handed to prosecutors: a zip that proves its own integrity.

    manifest.json    case, unit, category, export time and exporter; per item its file, kind,
                     origin, SHA-256, size, capture time and custody trail
    manifest.sha256  `sha256sum` lines for manifest.json and every item file, so that
                     `sha256sum -c manifest.sha256` in the unzipped folder checks them all
    README.txt       how to verify, in English and Chinese
    items/…          the item files, named after their origin ("report-12.json")

Pure: no database. Deterministic: entries sorted by name and every timestamp inside the zip
fixed, so the same package data gives the same bytes."""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MANIFEST = "manifest.json"
CHECKSUMS = "manifest.sha256"
README = "README.txt"
# The earliest time a zip can hold; any fixed value would do.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
EXTENSIONS = {"application/json": "json", "image/png": "png", "image/jpeg": "jpg"}

# Bilingual and fixed, rather than in the exporter's language: the package is read outside
# Frontstage, and the same evidence must give the same bytes whoever exports it.
README_TEXT = """\
Frontstage evidence package

manifest.json lists every evidence item: its kind, where it came from, when it was
captured, its SHA-256 and its chain of custody. The files are under items/.
Items marked "hash_only" have no file: only their SHA-256 was ever kept (child sexual
abuse material is never stored or shown in the clear).

To verify, unzip the package and run in its folder:

    sha256sum -c manifest.sha256

Every line must say OK. The SHA-256 of each item is also in manifest.json; compare it
with the case's audit log in Frontstage (event "evidence.exported").

Frontstage 证据包

manifest.json 列出每一项证据：类型、来源、采集时间、SHA-256 和保管链记录。
文件位于 items/ 目录。标为 "hash_only" 的证据没有文件：只保存了其 SHA-256
（儿童性虐待材料从不以明文保存或显示）。

校验方法：解压后在目录中运行

    sha256sum -c manifest.sha256

每一行都应显示 OK。
"""


@dataclass(frozen=True)
class PackageItem:
    """One evidence item; `content` is None for items kept as a hash only."""

    kind: str
    origin: str
    label: str
    content: bytes | None
    content_type: str
    sha256: str
    captured_at: datetime
    custody: list[dict[str, Any]] = field(default_factory=list)

    @property
    def filename(self) -> str | None:
        if self.content is None:
            return None
        extension = EXTENSIONS.get(self.content_type.split(";")[0], "bin")
        return f"items/{self.origin.replace(':', '-')}.{extension}"


@dataclass(frozen=True)
class Package:
    case: str
    unit: str
    category: str | None
    exported_at: datetime
    exporter: str
    items: list[PackageItem]


def build_package(package: Package) -> bytes:
    """The zip of `package`. Every item file's SHA-256 is computed from its bytes here and
    must equal the recorded one: a package never claims a hash its file does not have."""
    files: dict[str, bytes] = {}
    for item in package.items:
        if item.filename is not None and item.content is not None:
            if hashlib.sha256(item.content).hexdigest() != item.sha256:
                raise ValueError(f"{item.origin}: the bytes do not match the recorded SHA-256")
            files[item.filename] = item.content
    files[MANIFEST] = _json(manifest(package))
    files[CHECKSUMS] = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)
    ).encode("utf-8")
    files[README] = README_TEXT.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system wrote it
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def manifest(package: Package) -> dict[str, Any]:
    return {
        "case": package.case,
        "unit": package.unit,
        "category": package.category,
        "exported_at": package.exported_at.isoformat(),
        "exporter": package.exporter,
        "items": [
            {
                "file": item.filename,
                "hash_only": item.content is None,
                "kind": item.kind,
                "origin": item.origin,
                "label": item.label,
                "content_type": item.content_type,
                "sha256": item.sha256,
                "size": len(item.content) if item.content is not None else None,
                "captured_at": item.captured_at.isoformat(),
                "custody": item.custody,
            }
            for item in package.items
        ],
    }


def check_package(content: bytes) -> list[str]:
    """What `sha256sum -c manifest.sha256` would report as failing in the unzipped package:
    the names whose bytes do not hash as listed (empty when every line is OK)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        failed = []
        for line in archive.read(CHECKSUMS).decode("utf-8").splitlines():
            digest, name = line.split("  ", 1)
            if name not in names or hashlib.sha256(archive.read(name)).hexdigest() != digest:
                failed.append(name)
    return failed


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
