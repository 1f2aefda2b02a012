"""Library pages: a network's library with search, resources, files, trials, curation, exports,
and the anonymous public catalogue. Views parse, call selectors and services, and render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.core.downloads import as_download, spreadsheet_text
from netlearn.core.policy import require

from . import policy, selectors, services
from .errors import LibraryError
from .forms import FileForm, ResourceForm, SearchForm, SettingsForm, TrialForm
from .models import CRITERIA, ExtractionStatus

PAGE_SIZE = 20


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except (TypeError, ValueError):
        return 1


def _search(request, resources, *, viewer, schools=None, network=None):
    form = SearchForm(request.GET or None, schools=schools)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.Filters(
        q=data.get("q", ""),
        stage=data.get("stage", ""),
        subject=data.get("subject", ""),
        kind=data.get("kind", ""),
        endorsed=bool(data.get("endorsed")),
        school=data.get("school"),
        # `resources` is already the network's library; saying so lets search's index skip
        # other networks' resources (views narrower than the viewer's whole reach).
        network=network.pk if network is not None else None,
    )
    page = _page_number(request)
    rows, count = selectors.find(
        resources,
        filters,
        viewer=viewer,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        cards=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "results": rows,
        "count": count,
        "page": page,
        "has_next": page * PAGE_SIZE < count,
        "has_previous": page > 1,
        "query_string": query.urlencode(),
        "searching": bool(filters.q.strip()),
    }


@login_required
def library(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    schools = list(selectors.schools_for_filter(viewer=request.user, network=network))
    context = {
        "network": network,
        "can_add": policy.can_add_resource(request.user, network),
        "can_change_settings": policy.can_change_settings(request.user, network),
        "results_url": reverse("library:library", args=[network.slug]),
        **_search(
            request,
            selectors.library_of(viewer=request.user, network=network),
            viewer=request.user,
            schools=schools,
            network=network,
        ),
    }
    if request.htmx:
        return render(request, "library/_results.html", context)
    return render(request, "library/library.html", context)


@login_required
def add_resource(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    require(policy.can_add_resource(request.user, network))
    networks = selectors.networks_to_share_with(viewer=request.user).exclude(pk=network.pk)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        networks=networks,
        foci=selectors.foci_to_file_under(network=network),
        with_file=True,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        focus = values.pop("focus", None)
        values["focus_id"] = focus.pk if focus else None
        shared_with = [n.pk for n in values.pop("shared_with") or []]
        upload = values.pop("upload", None)
        try:
            resource = services.create_resource(
                network=network, by=request.user, shared_with=shared_with, upload=upload, **values
            )
        except LibraryError as error:
            form.add_error("upload" if "file" in str(error).lower() else None, str(error))
        else:
            messages.success(request, _("The resource is in the library."))
            return redirect(resource.get_absolute_url())
    return render(
        request,
        "library/form.html",
        {
            "network": network,
            "form": form,
            "title": "Add a resource",
            "submit": "Add to the library",
            "multipart": True,
            "cancel": reverse("library:library", args=[network.slug]),
        },
    )


def _resource(request, resource_id):
    return selectors.resource_for(viewer=request.user, resource_id=resource_id)


def _detail_context(request, resource) -> dict:
    files = selectors.files_of(resource=resource)
    return {
        "resource": resource,
        "network": resource.network,
        "current_files": [f for f in files if f.is_current],
        "old_files": [f for f in files if not f.is_current],
        "extracting": any(f.extraction_pending for f in files if f.is_current),
        "trials": list(selectors.trials_for(viewer=request.user, resource=resource)),
        "can_view_trials": policy.can_view_trials(request.user, resource),
        "summary": selectors.trial_summary(resource=resource),
        "rule": selectors.settings_for(network=resource.network),
        "criteria": CRITERIA,
        "can_change": policy.can_change_resource(request.user, resource),
        "can_curate": policy.can_curate(request.user, resource),
        "can_trial": policy.can_trial(request.user, resource),
        "ExtractionStatus": ExtractionStatus,
    }


@login_required
def resource_detail(request, resource_id):
    resource = _resource(request, resource_id)
    context = _detail_context(request, resource)
    if request.htmx and request.GET.get("part") == "files":
        return render(request, "library/_files.html", context)
    return render(request, "library/resource.html", context)


@login_required
def edit_resource(request, resource_id):
    resource = _resource(request, resource_id)
    require(policy.can_change_resource(request.user, resource))
    networks = selectors.networks_to_share_with(viewer=request.user).exclude(pk=resource.network_id)
    initial = {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "stages": resource.stage_list,
        "subjects": resource.subject_list,
        "learning_focus": resource.learning_focus,
        "tags": resource.tags,
        "link": resource.link,
        "licence": resource.licence,
        "sharing": resource.sharing,
        "shared_with": resource.shared_network_ids,
        "focus": resource.focus_id,
    }
    foci = selectors.foci_to_file_under(network=resource.network, keep_id=resource.focus_id)
    form = ResourceForm(request.POST or None, initial=initial, networks=networks, foci=foci)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        focus = values.pop("focus", None)
        values["focus_id"] = focus.pk if focus else None
        shared_with = [n.pk for n in values.pop("shared_with") or []]
        try:
            services.update_resource(
                resource=resource, by=request.user, shared_with=shared_with, **values
            )
        except LibraryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The resource is saved."))
            return redirect(resource.get_absolute_url())
    return render(
        request,
        "library/form.html",
        {
            "network": resource.network,
            "form": form,
            "title": f"Edit {resource.title}",
            "submit": "Save",
            "cancel": resource.get_absolute_url(),
        },
    )


@login_required
def add_file(request, resource_id):
    resource = _resource(request, resource_id)
    require(policy.can_change_resource(request.user, resource))
    current = resource.files.filter(superseded_at__isnull=True)
    form = FileForm(request.POST or None, request.FILES or None, current_files=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_file(
                resource=resource,
                by=request.user,
                upload=form.cleaned_data["upload"],
                note=form.cleaned_data["note"],
                replaces=form.cleaned_data["replaces"],
            )
        except LibraryError as error:
            form.add_error("upload", str(error))
        else:
            messages.success(request, _("The file is uploaded; its text is being read for search."))
            return redirect(resource.get_absolute_url())
    return render(
        request,
        "library/form.html",
        {
            "network": resource.network,
            "form": form,
            "title": f"Upload a file to {resource.title}",
            "submit": "Upload",
            "multipart": True,
            "cancel": resource.get_absolute_url(),
        },
    )


# Smaller files are sent whole; larger ones stream from storage.
STREAM_FROM_BYTES = 5 * 1024 * 1024


def _download(stored):
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if stored.size > STREAM_FROM_BYTES:
        response = FileResponse(handle, as_attachment=True, filename=stored.original_name)
    else:
        with handle:
            response = HttpResponse(handle.read())
    return as_download(response, filename=stored.original_name, content_type=stored.content_type)


@login_required
def download(request, resource_id, file_id):
    resource = _resource(request, resource_id)
    return _download(selectors.file_for(resource=resource, file_id=file_id))


@login_required
def record_trial(request, resource_id):
    resource = _resource(request, resource_id)
    require(policy.can_trial(request.user, resource))
    form = TrialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_trial(resource=resource, by=request.user, **form.cleaned_data)
        except LibraryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your trial is recorded."))
            return redirect(f"{resource.get_absolute_url()}#trials")
    return render(
        request,
        "library/form.html",
        {
            "network": resource.network,
            "form": form,
            "title": f"Record a trial of {resource.title}",
            "intro": "Say what you changed and what you saw; other schools decide by it.",
            "submit": "Record the trial",
            "cancel": resource.get_absolute_url(),
        },
    )


@login_required
@require_POST
def curate(request, resource_id):
    resource = _resource(request, resource_id)
    require(policy.can_curate(request.user, resource))
    try:
        services.curate(resource=resource, by=request.user, action=request.POST.get("action", ""))
    except LibraryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
    return redirect(resource.get_absolute_url())


@login_required
def library_settings(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    require(policy.can_change_settings(request.user, network))
    rule = selectors.settings_for(network=network)
    form = SettingsForm(
        request.POST or None,
        initial={
            "min_trials": rule.min_trials,
            "min_schools": rule.min_schools,
            "min_mean_rating": rule.min_mean_rating,
            "curator_group": rule.curator_group_id,
        },
        groups=selectors.groups_to_curate(network=network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_settings(network=network, by=request.user, **form.cleaned_data)
        except LibraryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The endorsement rule is saved."))
            return redirect("library:library", network.slug)
    return render(
        request,
        "library/form.html",
        {
            "network": network,
            "form": form,
            "title": "Endorsement rule and curators",
            "intro": "Only what other schools have trialled well reaches the site.",
            "submit": "Save",
            "cancel": reverse("library:library", args=[network.slug]),
        },
    )


# Exports ------------------------------------------------------------------------------------


@login_required
def export_csv(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    resources = selectors.ordered(
        selectors.with_figures(
            selectors.library_of(viewer=request.user, network=network),
            viewer=request.user,
        ).filter(retired_at__isnull=True)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="library-{network.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "title",
            "type",
            "key stages",
            "subjects",
            "learning focus",
            "tags",
            "licence",
            "shared with",
            "school",
            "author",
            "schools that trialled it",
            "trials",
            "endorsed",
            "featured",
            "updated",
            "url",
        ]
    )
    for resource in resources.iterator(chunk_size=500):
        writer.writerow(
            spreadsheet_text(value)
            for value in (
                resource.pk,
                resource.title,
                resource.get_kind_display(),
                "; ".join(resource.stage_labels),
                "; ".join(resource.subject_labels),
                resource.learning_focus,
                resource.tags,
                resource.get_licence_display(),
                resource.get_sharing_display(),
                resource.school.name,
                resource.author.name,
                resource.trial_school_count,
                resource.trial_count,
                "yes" if resource.is_endorsed else "no",
                "yes" if resource.featured_at else "no",
                resource.updated_at.date().isoformat(),
                request.build_absolute_uri(resource.get_absolute_url()),
            )
        )
    return response


# The public catalogue -----------------------------------------------------------------------


def public_catalogue(request):
    context = {
        "public": True,
        "results_url": reverse("library:public"),
        **_search(request, selectors.public_catalogue(), viewer=None),
    }
    if request.htmx:
        return render(request, "library/_results.html", context)
    return render(request, "library/public.html", context)


def public_resource(request, resource_id):
    resource = selectors.public_resource_for(resource_id=resource_id)
    files = [f for f in selectors.files_of(resource=resource) if f.is_current]
    return render(
        request,
        "library/public_resource.html",
        {
            "resource": resource,
            "current_files": files,
            "summary": selectors.trial_summary(resource=resource),
            "public": True,
        },
    )


def public_download(request, resource_id, file_id):
    resource = selectors.public_resource_for(resource_id=resource_id)
    stored = selectors.file_for(resource=resource, file_id=file_id)
    if not stored.is_current:
        raise Http404
    return _download(stored)
