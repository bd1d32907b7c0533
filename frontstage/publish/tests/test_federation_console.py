"""The console page where publishers watch their channels' fediverse traffic and follow."""

from unittest.mock import patch

from django.urls import reverse
from django.utils import timezone

from frontstage.publish.delivery import RemoteError
from frontstage.publish.models import Delivery, Following, FollowState
from frontstage.publish.tests.federation_support import remote_actor
from frontstage.test import Personas

PAGE = reverse("console:federation")


class FederationConsoleTests(Personas):
    def test_it_is_for_publishers_only(self) -> None:
        self.assertEqual(self.client_for(self.publisher).get(PAGE).status_code, 200)
        for person in (self.outsider, self.analyst, self.supervisor):
            with self.subTest(person=person.username):
                self.assertEqual(self.client_for(person).get(PAGE).status_code, 403)
        self.assertEqual(self.reporter().get(PAGE).status_code, 302)  # to the login page

    def test_it_says_when_there_is_nothing_yet(self) -> None:
        for tab in ("deliveries", "followers", "follows", "received"):
            with self.subTest(tab=tab):
                page = self.client_for(self.publisher).get(PAGE, {"show": tab})
                self.assertContains(page, 'class="empty"')

    def test_it_makes_given_up_deliveries_stand_out(self) -> None:
        now = timezone.now()
        Delivery.objects.create(
            unit=self.south,
            inbox="https://down.example/inbox",
            activity={"type": "Create"},
            attempts=8,
            given_up_at=now,
            last_error="HTTP 503",
            created_at=now,
        )
        page = self.client_for(self.publisher).get(PAGE)
        self.assertContains(page, "1 delivery was given up after 8 attempts.")
        self.assertContains(page, 'class="failed"')
        self.assertContains(page, "HTTP 503")

    def test_it_follows_an_actor_from_the_form(self) -> None:
        remote = remote_actor()
        with patch("frontstage.publish.actions.federation.fetch_actor", return_value=remote):
            response = self.client_for(self.publisher).post(
                PAGE, {"unit": self.south.pk, "actor_uri": remote.uri}
            )
        self.assertRedirects(response, PAGE)
        following = Following.objects.get(unit=self.south)
        self.assertEqual(following.state, FollowState.PENDING)
        page = self.client_for(self.publisher).get(PAGE, {"show": "follows"})
        self.assertContains(page, remote.uri)

    def test_it_shows_the_problem_beside_the_form_and_keeps_the_address(self) -> None:
        failing = patch(
            "frontstage.publish.actions.federation.fetch_actor",
            side_effect=RemoteError("connection refused"),
        )
        with failing:
            response = self.client_for(self.publisher).post(
                PAGE, {"unit": self.south.pk, "actor_uri": "https://down.example/users/x"}
            )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Check the address")
        self.assertContains(response, 'value="https://down.example/users/x"')
        self.assertFalse(Following.objects.exists())

    def test_a_south_publisher_cannot_follow_for_east(self) -> None:
        from frontstage.accounts.models import RoleKind
        from frontstage.test import make_staff

        south_publisher = make_staff("sam", RoleKind.PUBLISHER, self.south)
        response = self.client_for(south_publisher).post(
            PAGE, {"unit": self.east.pk, "actor_uri": "https://remote.example/users/alice"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="error"')
        self.assertFalse(Following.objects.exists())
