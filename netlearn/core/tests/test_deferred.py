"""Every task a service queues by name exists, and every task is queued by some service."""

import ast
from pathlib import Path

import pytest
from django_tasks.base import Task

from netlearn.core.deferred import after_commit, task_at

ROOT = Path(__file__).resolve().parents[2]


def _named_tasks() -> dict[str, list[str]]:
    """Dotted task path → the files that queue it with `after_commit("…", …)`."""
    named: dict[str, list[str]] = {}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "after_commit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                named.setdefault(node.args[0].value, []).append(str(path.relative_to(ROOT)))
    return named


def _defined_tasks() -> set[str]:
    defined = set()
    for path in ROOT.glob("*/tasks.py"):
        module = f"netlearn.{path.parent.name}.tasks"
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                defined.add(f"{module}.{node.name}")
    return defined


def test_every_queued_path_names_a_task():
    named = _named_tasks()
    assert named, "no service queues a task"
    for path in named:
        assert isinstance(task_at(path), Task), path


def test_every_task_is_queued_by_a_service():
    assert _defined_tasks() == set(_named_tasks())


def test_a_path_that_is_not_a_task_is_refused():
    with pytest.raises(TypeError, match="is not a task"):
        task_at("netlearn.core.deferred.after_commit")


@pytest.mark.django_db
def test_a_task_waits_for_the_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        after_commit("netlearn.notifications.tasks.send_digest", "Subject", "Body", "a@example.org")
    assert len(callbacks) == 1 and mailoutbox == []
    callbacks[0]()  # the commit: the immediate backend of the tests runs it now
    assert [mail.to for mail in mailoutbox] == [["a@example.org"]]
