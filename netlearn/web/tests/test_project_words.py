"""Pages speak to their users, not to the project: no citations of the seed documents reach a page,
and the licence the package declares is in the repository."""

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps

ROOT = Path(__file__).resolve().parents[3]
SEED_CITATION = re.compile(r"\bseeds? ?0\d\d\b|\bseed\b.{0,3}\d{3}", re.IGNORECASE)


def test_the_agpl_licence_file_is_in_the_repository():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text


def _templates():
    for app in apps.get_app_configs():
        folder = Path(app.path) / "templates"
        # Only the project's own apps: a virtualenv inside the checkout holds other packages'.
        if folder.is_dir() and folder.is_relative_to(ROOT) and ".venv" not in folder.parts:
            yield from folder.rglob("*.html")
            yield from folder.rglob("*.txt")


@pytest.mark.parametrize("template", list(_templates()), ids=lambda p: p.name)
def test_no_template_cites_the_seed_documents(template):
    assert not SEED_CITATION.search(template.read_text()), template


def _form_classes():
    import importlib

    for app in apps.get_app_configs():
        if not app.name.startswith("netlearn."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                yield value


def test_no_form_help_text_cites_the_seed_documents():
    offenders = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if SEED_CITATION.search(str(field.help_text or "")):
                offenders.append(f"{form_class.__name__}.{name}")
    assert offenders == []
