"""The quick select gives Django's select HTML byte for byte, for every shape of choice."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from netlearn.core.widgets import QuickSelect
from netlearn.networks.forms import ListedModelChoiceField
from netlearn.networks.models import School

from .factories import SchoolFactory

CHOICES = [
    ("", "—"),
    (1, 'Birch & <Oak> "Primary"'),
    ("two", gettext_lazy("Any role")),
    ("safe", mark_safe("<b>bold</b>")),
    ("Group <g>", [("a", "A'1"), ("b", "B")]),
    (3.5, 7),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "b", ["two", "a"], mark_safe("<x>")])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_x", "required": True, "disabled": False, "data-x": mark_safe("<&>")}],
)
@pytest.mark.parametrize("multiple", [False, True])
def test_quick_select_renders_as_djangos_select(value, attrs, multiple):
    kind = forms.SelectMultiple if multiple else forms.Select
    quick = type("QuickKind", (QuickSelect, kind), {}) if multiple else QuickSelect
    django_html = kind(choices=CHOICES).render("na<me", value, attrs)
    assert quick(choices=CHOICES).render("na<me", value, attrs) == django_html


def test_quick_select_renders_a_form_field_as_django_does():
    class Plain(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], required=False)

    class Quick(Plain):
        pick = forms.ChoiceField(
            choices=[("a", "A"), ("b", "B")], required=False, widget=QuickSelect
        )

    for data in (None, {"pick": "b"}, {"pick": "zz"}):
        plain, quick = Plain(data), Quick(data)
        plain.is_valid() if data else None
        quick.is_valid() if data else None
        assert str(quick["pick"]) == str(plain["pick"])


@pytest.mark.django_db
def test_listed_model_choices_are_djangos_in_one_query(django_assert_num_queries):
    for name in ("Oak", "Ash", "Elm"):
        SchoolFactory(name=name)
    schools = School.objects.order_by("name")
    plain = forms.ModelChoiceField(queryset=schools, empty_label="—")
    listed = ListedModelChoiceField(queryset=schools, empty_label="—")
    expected = [(str(value), label) for value, label in plain.choices]
    with django_assert_num_queries(1):
        assert [(str(value), label) for value, label in listed.choices] == expected
    assert listed.widget.render("s", None) == plain.widget.render("s", None)
