from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "frontstage.audit"
    verbose_name = "Audit"
