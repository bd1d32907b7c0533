from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "frontstage.accounts"
    verbose_name = "Staff and roles"
