"""Apps meet through selectors and services, never through each other's tables.

The walk reads every production module of ``netlearn/`` with ``ast`` (not ``tests/`` or
``migrations/``; the apps' ``demo.py`` seeds and ``demo/`` are production code and are walked like
the rest) and reports, as ``file:line: what``, each place where one app reaches into another
app's models:

- **A query.** ``Model.objects``, ``Model._default_manager`` or ``Model._base_manager`` on a model
  class of another app, however it was named: imported from ``<app>.models`` (absolute, relative,
  or through ``from netlearn.<app> import models``), or the person model from ``get_user_model()``
  (which belongs to ``accounts``). ``Model.objects.none()`` is no query (a form's placeholder
  until a selector fills it) and is left alone.
- **A query of a model looked up by name.** ``apps.get_model(...).objects`` (or a name bound to
  ``apps.get_model(...)`` and then queried) outside migrations: the name hides whose table is
  read, so it always needs an allowlist entry. Reading ``_meta`` of a model found by name is fine.
- **Any other use of another app's model class**: passing it to ``Prefetch``, ``isinstance``,
  ``Model.DoesNotExist``, ``Model._meta`` and so on. Importing it is fine when every use is one of:
  the model of a relation field (first argument or ``to=`` of ``ForeignKey``, ``OneToOneField``,
  ``ManyToManyField``), or a type annotation.

Names from another app's ``models`` that are not model classes are always fine: choice enums
(``TextChoices``/``IntegerChoices``) and module constants of choice values (``LEADING_ROLES``).

Reaching across through one's own relations is fine, both in lookups
(``Post.objects.filter(space__network__memberships__school=…)``) and related managers
(``school.memberships``): the walk cannot type-check those and does not try. When the question
is the other app's (who belongs where is always ``networks``'), ask its selectors all the same.

There is no allowlist: any offender fails the test, each listed. A question that the owning app
cannot answer yet gets a selector or service there.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "netlearn"
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
SKIPPED_FOLDERS = {"tests", "migrations"}
PERSON_APP = "accounts"
PERSON_MODEL = "Person"


def apps() -> list[str]:
    return sorted(
        folder.name
        for folder in PACKAGE.iterdir()
        if (folder / "__init__.py").exists() and folder.name != "config"
    )


def production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if SKIPPED_FOLDERS.intersection(parts[:-1]):
            continue
        yield path


def app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def model_classes_of(app: str) -> set[str]:
    """Classes in the app's models.py that are neither choice enums nor querysets/managers."""
    path = PACKAGE / app / "models.py"
    if not path.exists():
        return set()
    tree = ast.parse(path.read_text())
    enums: set[str] = set()
    models: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
        if any(base.endswith("Choices") for base in bases) or bases & enums:
            enums.add(node.name)
        elif bases & {"QuerySet", "Manager", "BaseManager"} or any(
            base.endswith(("QuerySet", "Manager")) for base in bases
        ):
            continue
        elif node.name != "Meta":
            models.add(node.name)
    return models


MODEL_CLASSES = {app: model_classes_of(app) for app in apps()}


def models_app(module: str | None, level: int, path: Path) -> str | None:
    """Which app's models an ``import … from module`` names (None: not a models module)."""
    if module is None:
        return None
    parts = module.split(".")
    if level:
        base = list(path.relative_to(PACKAGE.parent).parts[:-1])
        base = base[: len(base) - (level - 1)]
        parts = base + [part for part in parts if part]
    if parts[:1] != ["netlearn"] or len(parts) < 2:
        return None
    if parts[-1] == "models" and len(parts) == 3:
        return parts[1]
    return None


def package_app(module: str | None, level: int, path: Path) -> str | None:
    """The app an ``from <app> import models`` names."""
    if module is None and level:
        base = list(path.relative_to(PACKAGE.parent).parts[:-1])
        base = base[: len(base) - (level - 1)]
        return base[1] if len(base) == 2 else None
    parts = (module or "").split(".")
    if level:
        base = list(path.relative_to(PACKAGE.parent).parts[:-1])
        parts = base[: len(base) - (level - 1)] + parts
    return parts[1] if parts[:1] == ["netlearn"] and len(parts) == 2 else None


class Walk(ast.NodeVisitor):
    def __init__(self, path: Path, tree: ast.Module):
        self.path = path
        self.app = app_of(path)
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.annotations: set[ast.AST] = set()
        for node in ast.walk(tree):
            for annotation in self.annotations_of(node):
                self.annotations.update(ast.walk(annotation))
        # Local name -> (app, model) for another app's model classes; local name -> app for
        # another app's models module.
        self.models: dict[str, tuple[str, str]] = {}
        self.modules: dict[str, str] = {}
        # Names bound to a model found at run time, per function (or module) they are bound in.
        self.looked_up: set[tuple[ast.AST, str]] = set()
        self.people: set[tuple[ast.AST, str]] = set()
        self.offences: list[tuple[int, str]] = []

    @staticmethod
    def annotations_of(node: ast.AST):
        if isinstance(node, ast.AnnAssign):
            yield node.annotation
        elif isinstance(node, ast.arg) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            yield node.returns

    def foreign(self, app: str | None) -> bool:
        return app is not None and app != self.app and app in MODEL_CLASSES

    def run(self) -> list[tuple[int, str]]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                self.bind_import(node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if (
                        len(parts) == 3
                        and parts[0] == "netlearn"
                        and parts[2] == "models"
                        and self.foreign(parts[1])
                    ):
                        self.offences.append(
                            (node.lineno, f"imports {parts[1]}.models as a module path")
                        )
            elif isinstance(node, ast.Assign) and self.is_get_model(node.value):
                self.looked_up.update(self.bound_names(node))
            elif isinstance(node, ast.Assign) and self.is_get_user_model(node.value):
                if self.app != PERSON_APP:
                    self.people.update(self.bound_names(node))
        for node in ast.walk(self.tree):
            self.check(node)
        return self.offences

    def bind_import(self, node: ast.ImportFrom) -> None:
        app = models_app(node.module, node.level, self.path)
        if self.foreign(app):
            for alias in node.names:
                if alias.name in MODEL_CLASSES[app]:
                    self.models[alias.asname or alias.name] = (app, alias.name)
            return
        app = package_app(node.module, node.level, self.path)
        if self.foreign(app):
            for alias in node.names:
                if alias.name == "models":
                    self.modules[alias.asname or alias.name] = app

    @staticmethod
    def is_get_user_model(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            == "get_user_model"
        )

    def model_named(self, node: ast.AST) -> tuple[str, str] | None:
        if isinstance(node, ast.Name) and node.id in self.models:
            if isinstance(node.ctx, ast.Load):
                return self.models[node.id]
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in self.modules
        ):
            app = self.modules[node.value.id]
            if node.attr in MODEL_CLASSES[app]:
                return app, node.attr
        if self.app != PERSON_APP and (
            self.is_get_user_model(node) or self.is_bound(node, self.people)
        ):
            return PERSON_APP, PERSON_MODEL
        return None

    def scope_of(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            node = self.parents[node]
        return node

    def bound_names(self, assign: ast.Assign):
        scope = self.scope_of(assign)
        for target in assign.targets:
            if isinstance(target, ast.Name):
                yield scope, target.id

    def is_bound(self, node: ast.AST, names: set[tuple[ast.AST, str]]) -> bool:
        return (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and (self.scope_of(node), node.id) in names
        )

    @staticmethod
    def is_get_model(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "apps"
        )

    def check(self, node: ast.AST) -> None:
        if self.is_get_model(node) or self.is_bound(node, self.looked_up):
            parent = self.parents.get(node)
            if (
                isinstance(parent, ast.Attribute)
                and parent.value is node
                and parent.attr in MANAGERS
            ):
                self.offences.append((node.lineno, "queries a model looked up by name"))
            return
        named = self.model_named(node)
        if named is None:
            return
        label = f"{named[0]}.{named[1]}"
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in MANAGERS:
            if self.is_none_call(parent):
                return
            self.offences.append((node.lineno, f"queries {label}"))
            return
        if node in self.annotations or self.is_relation_target(node, parent):
            return
        if isinstance(parent, ast.Assign) and self.is_get_user_model(node):
            return  # the name it is bound to is walked instead
        if isinstance(parent, ast.Attribute) and parent.value is node:
            use = f".{parent.attr}"
        elif isinstance(parent, ast.Call) and node in parent.args:
            use = f"passed to {ast.unparse(parent.func)}"
        else:
            use = "as a value"
        self.offences.append((node.lineno, f"uses {label} {use}"))

    def is_none_call(self, manager: ast.Attribute) -> bool:
        method = self.parents.get(manager)
        call = self.parents.get(method)
        return (
            isinstance(method, ast.Attribute)
            and method.attr == "none"
            and isinstance(call, ast.Call)
            and call.func is method
        )

    def is_relation_target(self, node: ast.AST, parent: ast.AST | None) -> bool:
        if isinstance(parent, ast.keyword):
            if parent.arg != "to":
                return False
            call = self.parents.get(parent)
        elif isinstance(parent, ast.Call) and parent.args and parent.args[0] is node:
            call = parent
        else:
            return False
        return (
            isinstance(call, ast.Call)
            and ast.unparse(call.func).rsplit(".", 1)[-1] in RELATION_FIELDS
        )


def offenders() -> list[tuple[str, int, str]]:
    found = []
    for path in production_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        relative = str(path.relative_to(PACKAGE.parent))
        found.extend((relative, line, what) for line, what in Walk(path, tree).run())
    return sorted(found)


def test_apps_meet_only_through_selectors_and_services():
    found = [f"{path}:{line}: {what}" for path, line, what in offenders()]
    assert not found, "Reaching into another app's models:\n" + "\n".join(found)


def test_walk_sees_a_query_into_another_app(tmp_path):
    source = (
        "from netlearn.networks.models import NetworkMembership, Role, School\n"
        "from django.db import models\n"
        "class Thing(models.Model):\n"
        "    school = models.ForeignKey(School, on_delete=models.CASCADE)\n"
        "    role = models.CharField(choices=Role.choices)\n"
        "def schools(school: School):\n"
        "    return NetworkMembership.objects.current()\n"
    )
    path = PACKAGE / "charter" / "example.py"
    found = Walk(path, ast.parse(source)).run()
    assert found == [(7, "queries networks.NetworkMembership")]


def test_walk_tells_a_model_found_by_name_read_from_one_queried(tmp_path):
    source = (
        "from django.apps import apps\n"
        "from django.contrib.auth import get_user_model\n"
        "def names(label):\n"
        "    model = apps.get_model(label)\n"
        "    return model._meta.verbose_name\n"
        "def rows(label):\n"
        "    model = apps.get_model(label)\n"
        "    Person = get_user_model()\n"
        "    return model.objects.all(), Person.objects.none(), Person.objects.all()\n"
    )
    path = PACKAGE / "charter" / "example.py"
    found = Walk(path, ast.parse(source)).run()
    assert sorted(found) == [
        (9, "queries a model looked up by name"),
        (9, "queries accounts.Person"),
    ]
