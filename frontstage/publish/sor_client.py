"""The HTTP client of the EU DSA Transparency Database's batch endpoint (§3.1 of
../shared/design/dsa-statement-of-reasons.md): `POST <endpoint>/statements` with
`{"statements": [...]}`, 1 to 100 at a time, `Authorization: Bearer <token>`.

The endpoint is all-or-nothing: 201 means every statement was stored; 422 means none was, with
the errors keyed `statement_<index>` (or, for PUIDs already known, `existing_puids`). This
module only talks and reads answers; what to record is the caller's (frontstage.publish.
actions.sor). Anything but 201 or a readable 422 raises TdbUnavailable: the caller stops and
nothing is recorded for that batch, so the next run sends it again."""

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DUPLICATE = "The identifier given is not unique within this platform."
MAX_BATCH = 100
TIMEOUT_SECONDS = 30


class TdbUnavailable(Exception):
    """The database could not be reached or answered something we cannot read."""


@dataclass
class BatchAnswer:
    """What the database said about one batch, by PUID. On 201 every PUID is in `created`
    (with its uuid when the answer gives one); on 422 nothing was created, and each PUID the
    answer names is a duplicate (already stored: counts as delivered) or rejected (reasons)."""

    created: dict[str, str] = field(default_factory=dict)
    duplicates: set[str] = field(default_factory=set)
    rejected: dict[str, list[str]] = field(default_factory=dict)


class TdbClient:
    def __init__(self, endpoint: str, token: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        if not endpoint or not token:
            raise TdbUnavailable("SOR_ENDPOINT and SOR_TOKEN must both be set.")
        self.url = endpoint.rstrip("/") + "/statements"
        self.token = token
        self.timeout = timeout

    def post(self, statements: Sequence[Mapping[str, Any]]) -> BatchAnswer:
        """Send one batch (1 to MAX_BATCH statements) and read the answer."""
        if not 1 <= len(statements) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} statements, not {len(statements)}")
        puids = [str(s["puid"]) for s in statements]
        status, body = self._send({"statements": list(statements)})
        if status in (200, 201):
            return BatchAnswer(created=_created(puids, body))
        if status == 422:
            return _refused(puids, body)
        raise TdbUnavailable(f"The database answered {status}: {_short(body)}")

    def _send(self, payload: dict[str, Any]) -> tuple[int, Any]:
        # The endpoint comes from settings (an operator's https URL), never from a request.
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except (urllib.error.URLError, OSError) as error:
            raise TdbUnavailable(f"Could not reach {self.url}: {error}") from error


def _created(puids: list[str], body: Any) -> dict[str, str]:
    uuids: dict[str, str] = {}
    if isinstance(body, dict) and isinstance(body.get("statements"), list):
        for item in body["statements"]:
            if isinstance(item, dict) and item.get("puid") in puids:
                uuids[str(item["puid"])] = str(item.get("uuid") or "")
    return {puid: uuids.get(puid, "") for puid in puids}


def _refused(puids: list[str], body: Any) -> BatchAnswer:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        raise TdbUnavailable(f"The database refused the batch without reasons: {_short(body)}")
    answer = BatchAnswer()
    for puid in errors.get("existing_puids") or []:
        if puid in puids:
            answer.duplicates.add(str(puid))
    for key, fields in errors.items():
        index = key.removeprefix("statement_")
        if not key.startswith("statement_") or not index.isdigit() or int(index) >= len(puids):
            continue
        puid = puids[int(index)]
        messages = fields if isinstance(fields, dict) else {"statement": fields}
        if DUPLICATE in (messages.get("puid") or []):
            answer.duplicates.add(puid)
            continue
        answer.rejected[puid] = [
            f"{name}: {text}" for name, texts in messages.items() for text in _list(texts)
        ]
    if not answer.duplicates and not answer.rejected:
        raise TdbUnavailable(f"The database refused the batch: {_short(body)}")
    return answer


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")


def _short(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)[:300]
