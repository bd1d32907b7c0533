from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from frontstage.intake.models import RateBucket
from frontstage.intake.throttle import allow

HOUR = timedelta(hours=1)


class RateLimits(TestCase):
    """Requests counted per keyed address hash, in fixed windows, one statement each."""

    def test_it_refuses_once_the_window_holds_the_limit(self) -> None:
        answers = [allow("mei", limit=2, per=HOUR) for _ in range(4)]
        self.assertEqual(answers, [True, True, False, False])
        self.assertEqual(RateBucket.objects.get(key="mei").count, 4)

    def test_it_counts_each_address_on_its_own(self) -> None:
        for _ in range(3):
            allow("mei", limit=2, per=HOUR)
        self.assertTrue(allow("li", limit=2, per=HOUR))

    def test_it_starts_again_in_the_next_window(self) -> None:
        now = timezone.now()
        for _ in range(3):
            allow("mei", limit=2, per=HOUR)
        with mock.patch("django.utils.timezone.now", return_value=now + HOUR):
            self.assertTrue(allow("mei", limit=2, per=HOUR))
        self.assertEqual(RateBucket.objects.filter(key="mei").count(), 2)

    def test_it_forgets_windows_older_than_a_day(self) -> None:
        RateBucket.objects.create(key="old", window_start=timezone.now() - timedelta(days=2))
        allow("mei", limit=2, per=HOUR)
        self.assertEqual(list(RateBucket.objects.values_list("key", flat=True)), ["mei"])
