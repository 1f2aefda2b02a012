from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "netlearn.accounts"
    label = "accounts"
    verbose_name = "People and accounts"
