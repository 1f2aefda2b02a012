"""The page for importing schools from a GIAS extract or the New Zealand Directory of Schools."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import policy, services
from .imports import MAX_FILE_BYTES, Problem, SchoolFileRefused
from .models import Network

TEMPLATE = "networks/import_schools.html"
# Room for the form's other fields and the multipart framing around the file.
_BODY_ALLOWANCE = 64 * 1024


class ImportSchoolsForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"A GIAS extract or the NZ Directory of Schools, up to "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    network = forms.ModelChoiceField(
        queryset=Network.objects.none(),
        label="Add the schools to",
        required=False,
    )

    def __init__(self, *args, networks, network_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        field.queryset = networks
        field.required = network_required
        field.empty_label = (
            "Choose one of your networks" if network_required else "No network: only import"
        )


def _managed_networks(person):
    ids = policy.managed_network_ids(person)
    networks = Network.objects.all() if ids is None else Network.objects.filter(pk__in=ids)
    return networks.order_by("name"), ids is not None


@login_required
@csrf_exempt  # _import_schools checks the token, once an oversized body has been refused unread.
def import_schools(request):
    person = request.user
    if not policy.can_import_schools(person):
        raise Http404
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_FILE_BYTES + _BODY_ALLOWANCE:
            networks, required = _managed_networks(person)
            form = ImportSchoolsForm(networks=networks, network_required=required)
            too_large = Problem(
                None, None, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
            return render(request, TEMPLATE, {"form": form, "problems": [too_large]}, status=400)
    return _import_schools(request)


@csrf_protect
def _import_schools(request):
    person = request.user
    networks, required = _managed_networks(person)
    result, problems, status = None, [], 200
    if request.method == "POST":
        form = ImportSchoolsForm(
            request.POST, request.FILES, networks=networks, network_required=required
        )
        if form.is_valid():
            try:
                result = services.import_schools(
                    file=form.cleaned_data["file"], by=person, network=form.cleaned_data["network"]
                )
            except SchoolFileRefused as exc:
                problems, status = exc.problems, 400
            else:
                form = ImportSchoolsForm(networks=networks, network_required=required)
        else:
            status = 400
    else:
        form = ImportSchoolsForm(networks=networks, network_required=required)
    context = {"form": form, "result": result, "problems": problems}
    return render(request, TEMPLATE, context, status=status)
