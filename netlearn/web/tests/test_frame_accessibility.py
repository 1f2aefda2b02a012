"""The frame tells assistive technology where a person is, and groups of choices carry their
name (issue 21, item 5: WCAG 2.4.8 and 1.3.1 beyond what automatic checks find)."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse


def current_links(page: str) -> dict[str, str]:
    """Each link marked current, by its text: aria-current's value."""
    return {
        re.sub(r"<[^>]+>", "", text).strip(): value
        for value, text in re.findall(r'aria-current="(\w+)">(.*?)</a>', page)
    }


def test_the_network_navigation_marks_the_page_shown(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("networks:home", args=[world.network.slug])).content.decode()
    assert current_links(page) == {"Overview": "page"}


def test_inside_a_section_its_entry_is_current(client, world):
    client.force_login(world.co_leader)
    page = client.get(reverse("exchange:joint", args=[world.network.slug])).content.decode()
    marked = current_links(page)
    assert marked["Exchange"] == "true"  # in its section, not on its first page
    assert "Overview" not in marked  # the network's root holds every page: only the closest counts


def test_a_sections_own_navigation_marks_the_page_shown(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("activities:week", args=[world.network.slug])).content.decode()
    assert current_links(page) == {"Week": "page"}


def test_the_main_navigation_marks_the_page_shown(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert current_links(page).get("Notifications") == "page"


class Choices(forms.Form):
    phase = forms.ChoiceField(
        choices=[("p", "Primary"), ("s", "Secondary")], widget=forms.RadioSelect
    )
    subjects = forms.MultipleChoiceField(
        choices=[("m", "Maths"), ("e", "English")], widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField()


def test_groups_of_choices_are_fieldsets_named_by_a_legend_and_single_fields_keep_labels():
    html = render_to_string("core/_form_fields.html", {"form": Choices()})
    assert html.count("<fieldset") == 2
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Phase:?</legend>", html)
    assert re.search(r"<legend[^>]*>Subjects:?</legend>", html)
    assert re.search(r'<label for="id_title"[^>]*>Title:?</label>', html)
