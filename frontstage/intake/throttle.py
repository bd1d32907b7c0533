"""Rate limits per client address, without storing addresses: each is reduced to a keyed
hash whose key changes every day, counted in fixed windows, and old windows are deleted."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from frontstage.intake.models import RateBucket


def client_key(request: HttpRequest, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.now().strftime("%Y-%m-%d")
    key = hmac.new(settings.SECRET_KEY.encode(), f"throttle:{day}".encode(), hashlib.sha256)
    return hmac.new(key.digest(), f"{scope}:{address}".encode(), hashlib.sha256).hexdigest()


def allow(key: str, *, limit: int, per: timedelta) -> bool:
    """Count one request for `key`; False when the window already holds `limit` requests."""
    now = timezone.now()
    seconds = int(per.total_seconds())
    start = now.replace(microsecond=0) - timedelta(seconds=int(now.timestamp()) % seconds)
    with transaction.atomic():
        updated = RateBucket.objects.filter(key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                RateBucket.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateBucket.objects.get(key=key, window_start=start).count
    if count == 1:
        RateBucket.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    return count <= limit
