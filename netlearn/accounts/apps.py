from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(*, using, verbosity=1, **kwargs):
    # The default cache is a table in the database (config/settings/base.py): `netlearn migrate`
    # creates it, as Django's test runner does, so a fresh install needs no extra step. Nothing
    # is done for Redis or memcached, or when the table exists.
    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class AccountsConfig(AppConfig):
    name = "netlearn.accounts"
    label = "accounts"
    verbose_name = "People and accounts"

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self)
