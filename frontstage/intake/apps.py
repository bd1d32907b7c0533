from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "frontstage.intake"
    verbose_name = "Intake"
