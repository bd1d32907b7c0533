from frontstage.audit.models import AuditEvent
from frontstage.lib.actors import SYSTEM
from frontstage.test import Personas, make_unit
from frontstage.units.actions import UnitError, update_unit
from frontstage.units.models import UnitLevel


class UnitChanges(Personas):
    def test_it_records_a_new_unit_in_the_audit_log(self) -> None:
        unit = make_unit("guangzhou", UnitLevel.LOCAL, self.south, ["cn-gd-gz"])
        self.assertEqual(unit.region_codes, ["CN-GD-GZ"])
        event = AuditEvent.objects.get(action="unit.created", object_id=str(unit.pk))
        self.assertEqual(event.payload["parent"], "south")

    def test_it_records_what_an_admin_changed(self) -> None:
        update_unit(unit=self.east, region_codes=["CN-SH", "CN-JS"], by=self.unit_admin)
        event = AuditEvent.objects.filter(action="unit.changed").get()
        self.assertEqual(event.payload["region_codes"]["to"], ["CN-JS", "CN-SH"])
        self.assertEqual(event.actor, self.unit_admin)

    def test_it_refuses_a_region_code_that_is_not_one(self) -> None:
        with self.assertRaisesMessage(UnitError, "“GUANGDONG PROVINCE” is not a region code"):
            update_unit(unit=self.south, region_codes=["guangdong province"], by=SYSTEM)
        self.south.refresh_from_db()
        self.assertEqual(self.south.region_codes, ["CN-GD", "CN-GX"])

    def test_it_refuses_to_place_a_unit_below_itself(self) -> None:
        with self.assertRaisesMessage(UnitError, "below itself"):
            update_unit(unit=self.south, parent=self.shenzhen, by=SYSTEM)

    def test_it_refuses_a_regional_unit_without_a_parent(self) -> None:
        with self.assertRaisesMessage(UnitError, "needs a parent"):
            make_unit("orphan", UnitLevel.REGIONAL, None, [])

    def test_it_refuses_a_second_level_of_national_unit(self) -> None:
        with self.assertRaisesMessage(UnitError, "no parent unit"):
            make_unit("nested", UnitLevel.NATIONAL, self.national, [])
