"""Parameters of the accounts' pages for the authorization walks (netlearn/web/tests/walk.py):
the single sign-on provider of the walks (none is configured there, so its pages answer as for
a provider that does not exist)."""


def object_ids(world, *, foreign: bool) -> dict:
    return {"provider_id": "walk-provider"}
