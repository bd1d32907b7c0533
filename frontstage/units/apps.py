from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "frontstage.units"
    verbose_name = "Units"
