from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "frontstage.publish"
    verbose_name = "Publication"
