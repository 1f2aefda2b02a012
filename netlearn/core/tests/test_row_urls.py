"""`{% row_url %}` gives what `{% url %}` gives, row after row, under any script prefix."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix

ROWS = [1, 23, 4567]


def _render(tag: str, ids) -> str:
    template = Template(
        "{% load row_urls %}{% for id in ids %}" + tag + "|{% endfor %}",
    )
    return template.render(Context({"ids": ids, "slug": "net-12"}))


@pytest.mark.parametrize(
    "args",
    [
        "'networks:school' id",
        "'networks:group' slug id",
        "'networks:end_membership' slug id",
        "'networks:person' id",
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/netlearn/"])
def test_a_row_url_is_the_url_of_the_row(args, prefix):
    set_script_prefix(prefix)
    try:
        assert _render("{% row_url " + args + " %}", ROWS) == _render(
            "{% url " + args + " %}", ROWS
        )
    finally:
        clear_script_prefix()


def test_a_pattern_where_the_marker_would_show_twice_is_reversed_row_by_row():
    # A slug holding the marker's digits: the shortcut cannot tell the id's place, so each
    # row is reversed in full.
    template = Template(
        "{% load row_urls %}{% for id in ids %}{% row_url 'networks:group' slug id %}|{% endfor %}"
    )
    slug = "n-987654321987654321"
    context = Context({"ids": ROWS, "slug": slug})
    assert template.render(context) == "".join(f"/n/{slug}/groups/{id}/|" for id in ROWS)
