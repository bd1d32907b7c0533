from frontstage.audit.models import AuditEvent
from frontstage.cases.actions import CaseError, assign_case, open_case, save_category
from frontstage.cases.models import CaseEvent, CaseEventKind, Category, Subject
from frontstage.lib.actors import SYSTEM
from frontstage.test import Personas, make_case


class OpeningCases(Personas):
    def test_it_opens_a_case_with_its_subject_history_and_audit_event(self) -> None:
        case = make_case(self.south, "http://new.example/offer")
        self.assertEqual(case.status, "new")
        self.assertEqual(list(case.subjects.values_list("key", flat=True)), ["new.example/offer"])
        self.assertEqual(case.events.get().kind, CaseEventKind.OPENED)
        event = AuditEvent.objects.get(action="case.opened", object_id=str(case.pk))
        self.assertEqual(event.unit, self.south)
        self.assertEqual(event.payload["subjects"], ["url:new.example/offer"])

    def test_it_reuses_the_subject_when_two_cases_name_the_same_thing(self) -> None:
        first = make_case(self.south, "http://same.example/")
        second = make_case(self.east, "http://same.example/")
        self.assertEqual(Subject.objects.filter(key="same.example/").count(), 1)
        self.assertEqual(first.subjects.get(), second.subjects.get())

    def test_it_refuses_a_retired_category(self) -> None:
        category = Category.objects.get(code="defamation")
        category = save_category(category=category, active=False, by=SYSTEM)
        with self.assertRaisesMessage(CaseError, "no longer in use"):
            open_case(unit=self.south, category=category, by=SYSTEM)

    def test_it_lets_a_unit_add_a_category_with_a_legal_basis(self) -> None:
        category = save_category(
            category=None,
            code="counterfeit_goods",
            unit=self.south,
            name_en="Counterfeit goods",
            name_zh="假冒商品",
            legal_basis_en="Trademark law, art. 67",
            dsa_category="STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
            by=self.unit_admin,
        )
        case = open_case(unit=self.shenzhen, category=category, by=SYSTEM)
        self.assertEqual(case.category, category)
        self.assertTrue(
            AuditEvent.objects.filter(action="category.created", unit=self.south).exists()
        )

    def test_it_refuses_a_category_without_a_legal_basis(self) -> None:
        with self.assertRaisesMessage(CaseError, "needs the legal basis"):
            save_category(category=None, code="rudeness", name_en="Rudeness", by=self.unit_admin)

    def test_it_keeps_a_units_own_category_to_that_unit(self) -> None:
        category = save_category(
            category=None,
            code="local_only",
            unit=self.south,
            name_en="Local",
            name_zh="本地",
            legal_basis_en="Local ordinance 12",
            dsa_category="STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
            by=self.unit_admin,
        )
        with self.assertRaisesMessage(CaseError, "belongs to another unit"):
            open_case(unit=self.east, category=category, by=SYSTEM)

    def test_it_ships_the_default_categories_each_with_a_legal_basis(self) -> None:
        codes = set(Category.objects.filter(unit=None).values_list("code", flat=True))
        self.assertEqual(
            codes,
            {
                "scam_fraud",
                "illegal_drugs",
                "illegal_weapons",
                "illegal_gambling",
                "sexual_services",
                "child_sexual_abuse",
                "defamation",
                "threats",
            },
        )
        self.assertFalse(Category.objects.filter(legal_basis_en="").exists())
        self.assertFalse(Category.objects.get(code="defamation").patrol_may_flag)
        self.assertTrue(Category.objects.get(code="child_sexual_abuse").patrol_hash_only)


class AssigningCases(Personas):
    def test_it_assigns_a_case_and_records_who_gave_it_to_whom(self) -> None:
        case = assign_case(case=self.south_case, assignee=self.analyst, by=self.supervisor)
        self.assertEqual(case.assignee, self.analyst)
        event = CaseEvent.objects.filter(case=case).latest("id")
        self.assertEqual((event.kind, event.payload["to"]), (CaseEventKind.ASSIGNED, "li"))
        self.assertEqual(AuditEvent.objects.latest("seq").actor, self.supervisor)

    def test_it_refuses_to_assign_a_case_to_staff_of_another_region(self) -> None:
        with self.assertRaisesMessage(CaseError, "does not handle cases at"):
            assign_case(case=self.south_case, assignee=self.east_analyst, by=self.supervisor)

    def test_it_refuses_to_assign_a_case_to_someone_who_does_not_handle_cases(self) -> None:
        with self.assertRaises(CaseError):
            assign_case(case=self.south_case, assignee=self.publisher, by=self.supervisor)

    def test_it_unassigns_a_case(self) -> None:
        assign_case(case=self.south_case, assignee=self.analyst, by=self.supervisor)
        case = assign_case(case=self.south_case, assignee=None, by=self.supervisor)
        self.assertIsNone(case.assignee)
        self.assertEqual(case.events.latest("id").kind, CaseEventKind.UNASSIGNED)

    def test_it_writes_nothing_when_the_assignee_is_unchanged(self) -> None:
        assign_case(case=self.south_case, assignee=self.analyst, by=self.supervisor)
        count = AuditEvent.objects.count()
        assign_case(case=self.south_case, assignee=self.analyst, by=self.supervisor)
        self.assertEqual(AuditEvent.objects.count(), count)
