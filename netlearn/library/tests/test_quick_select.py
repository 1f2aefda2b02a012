"""QuickSelect must render the same bytes as Django's Select, which the search form replaced."""

import pytest
from django import forms

from netlearn.core.widgets import QuickSelect

CHOICES = [
    ("", "Any"),
    (1, 'Ōtaki <School> & "Kura"'),
    ("Groups", [("a", "First"), ("b", "Second")]),
    (2, "Last"),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "b", "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"aria-describedby": "x y", "required": True, "disabled": False}]
)
def test_it_renders_what_django_select_renders(value, attrs):
    django_select = forms.Select(choices=CHOICES).render("school", value, attrs=attrs)
    quick = QuickSelect(choices=CHOICES).render("school", value, attrs=attrs)
    assert quick == django_select


def test_the_search_form_renders_the_same_as_with_django_select():
    from netlearn.library.forms import SearchForm

    class Plain(SearchForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                if isinstance(field.widget, QuickSelect):
                    field.widget = forms.Select(choices=field.choices)

    schools = [type("S", (), {"pk": pk, "name": f"School {pk}"})() for pk in (3, 7)]
    data = {"q": "reading", "school": "7", "stage": "ks2"}
    assert str(SearchForm(data, schools=schools)) == str(Plain(data, schools=schools))
