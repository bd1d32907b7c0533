"""Rate limits per client address, without storing addresses: each is reduced to a keyed
hash whose key changes every day, counted in fixed windows, and old windows are deleted."""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from frontstage.intake.models import RateBucket


def client_key(request: HttpRequest, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.now().strftime("%Y-%m-%d")
    key = hmac.new(settings.SECRET_KEY.encode(), f"throttle:{day}".encode(), hashlib.sha256)
    return hmac.new(key.digest(), f"{scope}:{address}".encode(), hashlib.sha256).hexdigest()


def allow(key: str, *, limit: int, per: timedelta) -> bool:
    """Count one request for `key`; False when the window already holds `limit` requests.
    Inside a caller's transaction the count commits or rolls back with it."""
    now = timezone.now()
    seconds = int(per.total_seconds())
    start = now.replace(microsecond=0) - timedelta(seconds=int(now.timestamp()) % seconds)
    count = _count_one(key, start)
    if count == 1:  # a new window: the moment to drop windows nobody can still be limited by
        RateBucket.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return count <= limit


def _count_one(key: str, start: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_ONE, [key, connection.ops.adapt_datetimefield_value(start)])
        row = cursor.fetchone()
    return int(row[0])


# One upsert instead of UPDATE, SELECT and maybe INSERT: every request pays for this, and the
# row lock it takes makes concurrent requests count one after another. Postgres and
# SQLite >= 3.35 (for RETURNING) both accept it as written.
_COUNT_ONE = (
    'INSERT INTO "intake_ratebucket" ("key", "window_start", "count") VALUES (%s, %s, 1) '
    'ON CONFLICT ("key", "window_start") '
    'DO UPDATE SET "count" = "intake_ratebucket"."count" + 1 RETURNING "count"'
)
