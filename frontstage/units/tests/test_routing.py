from django.test import SimpleTestCase

from frontstage.test import Personas
from frontstage.units.routing import unit_for_region
from frontstage.units.tree import descendants, parent_code, route

# national(1) → south(2) → shenzhen(4); national(1) → east(3)
PARENTS = {1: None, 2: 1, 3: 1, 4: 2}
CODES = {1: ["CN"], 2: ["CN-GD", "CN-GX"], 3: ["CN-SH"], 4: ["CN-GD-SZ"]}


class RegionCodeTree(SimpleTestCase):
    def test_it_walks_up_from_a_fine_code(self) -> None:
        self.assertEqual(parent_code("CN-GD-SZ"), "CN-GD")
        self.assertEqual(parent_code("CN-GD"), "CN")
        self.assertIsNone(parent_code("CN"))

    def test_it_routes_to_the_deepest_unit_covering_the_code(self) -> None:
        self.assertEqual(route("CN-GD-SZ", PARENTS, CODES), 4)
        self.assertEqual(route("CN-GD", PARENTS, CODES), 2)
        self.assertEqual(route("CN-SH", PARENTS, CODES), 3)

    def test_it_falls_back_to_the_unit_of_the_enclosing_region(self) -> None:
        self.assertEqual(route("CN-GD-GZ", PARENTS, CODES), 2)
        self.assertEqual(route("CN-XZ", PARENTS, CODES), 1)

    def test_it_ignores_case_and_spaces_in_the_code(self) -> None:
        self.assertEqual(route(" cn-gd-sz ", PARENTS, CODES), 4)

    def test_it_prefers_the_deeper_unit_when_two_cover_the_same_code(self) -> None:
        codes = {**CODES, 4: ["CN-GD-SZ", "CN-GD"]}
        self.assertEqual(route("CN-GD", PARENTS, codes), 4)

    def test_it_finds_no_unit_for_a_code_outside_every_territory(self) -> None:
        self.assertIsNone(route("FR-75", PARENTS, CODES))

    def test_it_lists_a_unit_and_everything_below_it(self) -> None:
        self.assertEqual(descendants(PARENTS, [2]), {2, 4})
        self.assertEqual(descendants(PARENTS, [1]), {1, 2, 3, 4})
        self.assertEqual(descendants(PARENTS, [99]), set())


class RoutingReports(Personas):
    def test_it_sends_a_shenzhen_report_to_the_shenzhen_office(self) -> None:
        self.assertEqual(unit_for_region("CN-GD-SZ"), self.shenzhen)

    def test_it_sends_a_guangzhou_report_to_the_south_region(self) -> None:
        self.assertEqual(unit_for_region("CN-GD-GZ"), self.south)

    def test_it_sends_unknown_and_empty_codes_to_the_national_unit(self) -> None:
        self.assertEqual(unit_for_region("ZZ-99"), self.national)
        self.assertEqual(unit_for_region("FR"), self.national)
        self.assertEqual(unit_for_region(""), self.national)
