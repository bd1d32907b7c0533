from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "frontstage.patrol"
    verbose_name = "Patrol"
