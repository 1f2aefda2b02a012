"""Every model's `get_FOO_display` answers as Django's own does, in every language."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from netlearn.core.choices import get_field_display


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices is not None:
                yield model, field


def test_every_field_with_choices_uses_the_cheaper_lookup():
    fields = list(_fields_with_choices())
    assert len(fields) > 20
    for model, field in fields:
        name = f"get_{field.name}_display"
        bound = next(vars(cls)[name] for cls in model.__mro__ if name in vars(cls))
        assert bound.func is get_field_display, (model, field.name)


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_labels_match_djangos_own_in_every_language(language):
    with translation.override(language):
        for model, field in _fields_with_choices():
            for value, _ in [*field.flatchoices, ("not-a-choice", None)]:
                instance = model(**{field.attname: value})
                ours = getattr(instance, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(instance, field), (model, value)
