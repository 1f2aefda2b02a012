"""The demo: the site admin, every app's demo data and the printed sign-ins.

`load_demo()` is idempotent: each app's `demo.load` leaves alone what it made before (the seed
networks themselves are in `netlearn/networks/demo.py`).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import NamedTuple

from django.apps import apps
from django.db import transaction

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Person
from netlearn.accounts.services import create_person
from netlearn.networks.demo import EMAIL_DOMAIN, NETWORKS, PASSWORD

# The seed networks and the demo password are asked of this module by the demo's tests and
# commands.
__all__ = ["NETWORKS", "PASSWORD", "DemoError", "DemoSignIn", "SIGN_INS", "load_demo"]


class DemoError(Exception):
    """The demo cannot be loaded into this database; the message says why."""


class DemoSignIn(NamedTuple):
    role: str
    username: str
    password: str
    sees: str


# The printed sign-ins: one per role the access policy knows.
SIGN_INS = (
    (
        "Site admin",
        "admin",
        "Everything: every network, school and person, and the Django admin at /admin/; on the "
        "home, a data lead proposed for Pendle waiting for a second person.",
    ),
    (
        "Co-leader",
        "coleader",
        "Runs Pendle Small Schools NLC: its schools, roles, steering group, school sub-groups "
        "and its charter, proposed for the heads to sign off.",
    ),
    (
        "School lead (head)",
        "head",
        "Leads Cormorant Primary, a school of North Hartlepool PNSLN and Network A: the school's "
        "profile and staff invitations, the charter to sign off, a coming date to answer.",
    ),
    (
        "Network member (teacher)",
        "teacher",
        "A teacher-researcher in a North Hartlepool lesson-study triad: a coming sharing "
        "afternoon to answer, a mention in the staff room, the triad's activities to schedule.",
    ),
    (
        "External partner",
        "partner",
        "A university facilitator of Bransholme NLC and Network B: reads their schools, people, "
        "coaching waves and Network B's PDSA run chart; schedules nothing network-wide.",
    ),
    (
        "Kāhui Ako lead (NZ)",
        "kahuilead",
        "A principal who co-leads Mātātahi Kāhui Ako: its achievement challenges, the spiral of "
        "inquiry into oral language, and meetings in New Zealand time.",
    ),
    (
        "Data lead",
        "datalead",
        "The data lead of the Exam study schools: imports outcome data, runs value-added models "
        "and sees pupil-level records; everyone else sees suppressed aggregates.",
    ),
    (
        "Programme evaluator",
        "evaluator",
        "Evaluates the National NLC programme (demo): Tweedmouth, North Hartlepool, Network B and "
        "Pendle side by side (charters, golden threads, engagement, value added), each charter "
        "and golden thread read-only; no network's discussions, people or pupils.",
    ),
    (
        "Pupil",
        "pupil",
        "Their school's pupil spaces, moderated by staff, and their own profile (no email, minimal "
        "data); pupils never appear in the directory.",
    ),
)


# ---------------------------------------------------------------------------------------------
# Loading


def _site_admin() -> Person:
    admin = account_selectors.people_with_usernames(["admin"]).first()
    if admin is None:
        return create_person(
            username="admin",
            name="Demo Site Admin",
            email=f"admin@{EMAIL_DOMAIN}",
            password=PASSWORD,
            is_demo=True,
            is_superuser=True,
            is_staff=True,
        )
    if not admin.is_demo:
        raise DemoError(
            "An account called 'admin' already exists and is not a demo account; "
            "the demo will not take it over. Load the demo into a fresh database."
        )
    return admin


def _sign_ins() -> list[DemoSignIn]:
    """The printed sign-ins; a demo account whose password was changed gets it back."""
    result = []
    for role, username, sees in SIGN_INS:
        person = account_selectors.people_with_usernames([username]).filter(is_demo=True).first()
        if person is None:
            continue
        if not person.check_password(PASSWORD):
            person.set_password(PASSWORD)
            person.save(update_fields=["password"])
        result.append(DemoSignIn(role, username, PASSWORD, sees))
    return result


@transaction.atomic
def load_demo() -> list[DemoSignIn]:
    """Creates the demo data that does not exist yet and returns the demo sign-ins."""
    admin = _site_admin()
    for loader in _app_demo_loaders():
        loader(admin=admin)
    return _sign_ins()


def _app_demo_loaders():
    """Each app may add its own demo data (networks, charters, activities…) in
    `netlearn/<app>/demo.py`.

    Such a module defines `load(*, admin)`, which finds what it builds on by slug and changes
    nothing when run again.

    The seed networks (`netlearn.networks.demo`) load first: every other loader builds on them.
    A module that creates a network of its own sets `CREATES_NETWORKS = True` and runs next, so
    the other loaders see that network on the first run as on every later one (otherwise a second
    run would find it and add to it).
    """
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name.startswith("netlearn.") and config.name != "netlearn.demo":
            if importlib.util.find_spec(name):
                modules.append(importlib.import_module(name))
    modules.sort(
        key=lambda module: (
            module.__name__ != "netlearn.networks.demo",
            not getattr(module, "CREATES_NETWORKS", False),
        )
    )
    return [module.load for module in modules]
