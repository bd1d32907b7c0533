from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "frontstage.cases"
    verbose_name = "Cases"
