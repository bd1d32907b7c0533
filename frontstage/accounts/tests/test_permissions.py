from django.urls import reverse

from frontstage.test import Personas

LOGIN = "login"


class ConsolePermissionMatrix(Personas):
    """For each console page and each persona, the status they get. Outsiders and staff of
    another region get 403 or 404, never the data."""

    def expect(self, url: str, table: dict[str, int | str]) -> None:
        for name, expected in table.items():
            person = None if name == "reporter" else getattr(self, name)
            with self.subTest(url=url, persona=name):
                response = self.client_for(person).get(url)
                if expected == LOGIN:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("login", response["Location"])
                else:
                    self.assertEqual(response.status_code, expected)

    def test_it_shows_the_case_list_to_casework_roles_only(self) -> None:
        self.expect(
            reverse("console:cases"),
            {
                "reporter": LOGIN,
                "intake_agent": 200,
                "analyst": 200,
                "supervisor": 200,
                "publisher": 200,
                "auditor": 403,
                "unit_admin": 403,
                "east_analyst": 200,
                "outsider": 403,
            },
        )

    def test_it_shows_a_south_case_only_to_staff_whose_units_cover_the_south(self) -> None:
        self.expect(
            reverse("console:case", args=[self.south_case.pk]),
            {
                "reporter": LOGIN,
                "intake_agent": 200,
                "analyst": 200,
                "supervisor": 200,
                "publisher": 200,
                "auditor": 404,
                "unit_admin": 404,
                "east_analyst": 404,
                "outsider": 403,
            },
        )

    def test_it_lets_a_regional_role_reach_the_local_unit_below_it(self) -> None:
        self.expect(
            reverse("console:case", args=[self.shenzhen_case.pk]),
            {"analyst": 200, "intake_agent": 200, "supervisor": 200, "east_analyst": 404},
        )

    def test_it_hides_an_east_case_from_the_south_region(self) -> None:
        self.expect(
            reverse("console:case", args=[self.east_case.pk]),
            {"analyst": 404, "intake_agent": 404, "east_analyst": 200, "supervisor": 200},
        )

    def test_it_answers_an_unknown_case_like_a_hidden_one(self) -> None:
        self.expect(reverse("console:case", args=[999999]), {"analyst": 404, "outsider": 403})

    def test_it_shows_the_audit_log_to_auditors_and_supervisors_only(self) -> None:
        self.expect(
            reverse("console:audit"),
            {
                "reporter": LOGIN,
                "intake_agent": 403,
                "analyst": 403,
                "supervisor": 200,
                "publisher": 403,
                "auditor": 200,
                "unit_admin": 403,
                "east_analyst": 403,
                "outsider": 403,
            },
        )

    def test_it_opens_the_admin_to_unit_admins_only(self) -> None:
        for url in [reverse("admin:index"), reverse("admin:units_unit_changelist")]:
            self.expect(
                url,
                {
                    "reporter": LOGIN,
                    "unit_admin": 200,
                    "analyst": LOGIN,
                    "supervisor": LOGIN,
                    "auditor": LOGIN,
                    "outsider": LOGIN,
                },
            )


class CaseListScope(Personas):
    def test_it_lists_only_the_cases_of_the_analysts_units(self) -> None:
        page = self.client_for(self.analyst).get(reverse("console:cases")).content.decode()
        self.assertIn(self.south_case.reference, page)
        self.assertIn(self.shenzhen_case.reference, page)
        self.assertNotIn(self.east_case.reference, page)
        self.assertNotIn("east.example", page)

    def test_it_lists_every_region_for_a_national_supervisor(self) -> None:
        page = self.client_for(self.supervisor).get(reverse("console:cases")).content.decode()
        for case in [self.south_case, self.shenzhen_case, self.east_case]:
            self.assertIn(case.reference, page)

    def test_it_filters_by_status(self) -> None:
        url = reverse("console:cases") + "?status=closed"
        page = self.client_for(self.supervisor).get(url).content.decode()
        self.assertIn("No cases match", page)

    def test_it_answers_an_htmx_filter_with_the_results_fragment_only(self) -> None:
        response = self.client_for(self.supervisor).get(
            reverse("console:cases") + "?status=new", headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        self.assertIn('id="results"', page)
        self.assertIn(self.east_case.reference, page)
        self.assertNotIn("<html", page)

    def test_it_lets_staff_log_in_and_out_with_a_password(self) -> None:
        from frontstage.test import PASSWORD

        response = self.client.post(
            reverse("console:login"), {"username": "li", "password": PASSWORD}, follow=True
        )
        self.assertContains(response, self.south_case.reference)
        response = self.client.post(reverse("console:logout"), follow=True)
        self.assertContains(response, "Staff log in")

    def test_it_tells_a_person_with_a_wrong_password_what_went_wrong(self) -> None:
        response = self.client.post(reverse("console:login"), {"username": "li", "password": "no"})
        self.assertContains(response, "Please enter a correct username and password")
        self.assertContains(response, 'value="li"')
