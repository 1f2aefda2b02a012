"""Each rule once: every yes/no that has a scope agrees with it, for every role and object.

Every `netlearn/<app>/policy.py` declares `AGREEMENTS`, triples (model, rule, scope) in which
`rule(person, obj)` answers for one object what `scope(person)` lists, and `SCOPES_ALONE`, the
scopes that have no yes/no (the scope is the rule). A policy module without them, or with a scope
named in neither, fails here: a new app cannot skip the proof.
"""

import importlib
import inspect
import pkgutil

import pytest
from django.db.models import Q

import netlearn
from netlearn.activities import selectors as activity_selectors
from netlearn.activities.models import Activity
from netlearn.library import selectors as library_selectors
from netlearn.library.models import Resource
from netlearn.web.tests import walk

# The ground floor's policy module is the toolkit the apps' rules are written with, not a rule.
TOOLKITS = {"core"}


def policy_modules():
    for info in pkgutil.iter_modules(netlearn.__path__):
        if info.name in TOOLKITS:
            continue
        if info.ispkg and importlib.util.find_spec(f"netlearn.{info.name}.policy"):
            yield importlib.import_module(f"netlearn.{info.name}.policy")


def scopes_of(module):
    return {
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.endswith("_scope") and function.__module__ == module.__name__
    }


@pytest.mark.parametrize("module", list(policy_modules()), ids=lambda module: module.__name__)
def test_every_scope_is_paired_with_its_rule_or_stands_alone(module):
    assert hasattr(module, "AGREEMENTS") and hasattr(module, "SCOPES_ALONE"), module.__name__
    paired = {scope for _, _, scope in module.AGREEMENTS}
    alone = set(module.SCOPES_ALONE)
    assert not paired & alone, f"{module.__name__}: a scope both paired and alone"
    missing = scopes_of(module) - paired - alone
    assert not missing, f"{module.__name__}: pair {sorted(f.__name__ for f in missing)}"


def test_policy_modules_are_found():
    names = {module.__name__ for module in policy_modules()}
    assert {"netlearn.discussions.policy", "netlearn.networks.policy"} <= names


def as_loaded_for(model, person):
    """Every object of `model`, loaded as the selectors load it for `person` (the annotations
    the rules read), but unscoped, so that a rule saying yes to a hidden object shows."""
    if model is Resource:
        return library_selectors.prepare(library_selectors._annotated(Resource.objects, person))
    if model is Activity:
        return list(activity_selectors._with_viewer(Activity.objects.all(), person))
    return list(model.objects.all())


def test_every_rule_agrees_with_its_scope_for_every_role(world):
    walk.object_ids(world, foreign=False)
    walk.object_ids(world, foreign=True)
    people = {**world.people_by_role(), "foreign": world.foreign_co_leader}
    checked = 0
    disagreements = []
    for module in policy_modules():
        for model, rule, scope in module.AGREEMENTS:
            for role, person in people.items():
                scoped = scope(person)
                assert isinstance(scoped, Q), (module.__name__, scope.__name__)
                listed = set(model.objects.filter(scoped).values_list("pk", flat=True))
                objects = as_loaded_for(model, person)
                assert objects, f"the world holds no {model.__name__}"
                for obj in objects:
                    checked += 1
                    if rule(person, obj) is not (obj.pk in listed):
                        disagreements.append(
                            f"{module.__name__} {scope.__name__}: {role} {model.__name__} {obj.pk}"
                        )
    assert not disagreements, "\n".join(disagreements)
    assert checked > 100  # the proof really walks something
