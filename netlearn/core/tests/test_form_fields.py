"""The shared form partial: a group of radio buttons or checkboxes is a fieldset with a legend."""

from django import forms
from django.template.loader import render_to_string


class Choices(forms.Form):
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)
    sizes = forms.MultipleChoiceField(
        choices=[("s", "Small"), ("l", "Large")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree")
    name = forms.CharField()


def test_choice_groups_are_fieldsets_and_single_inputs_keep_their_label():
    html = render_to_string("core/_form_fields.html", {"form": Choices()})
    assert html.count("<fieldset") == 2
    assert "<legend>Colour</legend>" in html and "<legend>Sizes</legend>" in html
    assert '<label for="id_agree">I agree:</label>' in html
    assert '<label for="id_name">Name:</label>' in html
