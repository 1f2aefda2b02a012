"""Pages for discussion spaces, moderation, polls and pupil accounts.

Views parse, call services, render. Pupil-facing pages are keyed by the space, thread, post or
poll, never by the network: pupils have no network pages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from netlearn.core.downloads import as_download
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services
from .errors import DiscussionError, InvalidPupilFile, PostingTooFast
from .forms import (
    AcknowledgeForm,
    EditForm,
    ModerateForm,
    ModerationModeForm,
    ModeratorForm,
    NetworkSettingsForm,
    ParentInviteForm,
    PollForm,
    PublicNameForm,
    PupilImportForm,
    ReplyForm,
    ReportForm,
    ResolveForm,
    SpaceForm,
    ThreadForm,
    VoteForm,
)
from .models import Status


def _page(request, rows):
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _status_for(error) -> int:
    return 429 if isinstance(error, PostingTooFast) else 400


# A form that posts to a URL of its own re-renders its errors there; that URL also answers GET
# (a reload, a bookmark, a shared link) by going back to the page holding the form, not 405.
post_or_back = require_http_methods(["GET", "POST"])


# Spaces -------------------------------------------------------------------------------------


@login_required
def home(request):
    """Every space the person may open, across their networks; a pupil's own spaces."""
    spaces = selectors.spaces_for(viewer=request.user)
    context = {
        "page": _page(request, spaces),
        "pupil_schools": selectors.schools_for_pupil_accounts(viewer=request.user),
    }
    return render(request, "discussions/home.html", context)


@login_required
def network_spaces(request, network_slug):
    network = network_selectors.network_for(viewer=request.user, slug=network_slug)
    context = {
        "network": network,
        "page": _page(request, selectors.spaces_in_network(viewer=request.user, network=network)),
        "can_open": policy.can_open_staff_space(request.user, network)
        or policy.can_open_pupil_space(request.user, network),
        "can_moderate": policy.can_view_moderation(request.user, network),
        "can_configure": policy.can_change_network_settings(request.user, network),
    }
    return render(request, "discussions/network_spaces.html", context)


@login_required
def create_space(request, network_slug):
    network = network_selectors.network_for(viewer=request.user, slug=network_slug)
    if not (
        policy.can_open_staff_space(request.user, network)
        or policy.can_open_pupil_space(request.user, network)
    ):
        raise PermissionDenied
    form = SpaceForm(
        request.POST or None,
        schools=network_selectors.schools_in_network(network=network),
        groups=network_selectors.groups_of(network=network),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            space = services.open_space(
                network=network,
                by=request.user,
                title=data["title"],
                description=data["description"],
                audience=data["audience"],
                group=data["group"],
                school=data["school"],
                moderation=data["moderation"],
            )
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The space “%(title)s” is open.") % {"title": space.title})
            return redirect(space.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "discussions/space_form.html", {"network": network, "form": form}, status=status
    )


def _space_context(request, space, **extra):
    search = request.GET.get("q", "")[:100]
    threads = selectors.threads_in_space(viewer=request.user, space=space, search=search)
    return {
        "space": space,
        "network": space.network,
        "audience_label": selectors.pupil_space_audience_label(space),
        "page": _page(request, threads),
        "search": search,
        "polls": selectors.polls_in_space(viewer=request.user, space=space),
        "can_post": policy.can_post(request.user, space),
        "can_moderate": policy.can_moderate(request.user, space),
        "can_manage": policy.can_manage_space(request.user, space),
        "can_create_poll": policy.can_create_poll(request.user, space),
        "following": selectors.follows(viewer=request.user, space=space),
        "form": ThreadForm(),
        **extra,
    }


@login_required
def space(request, space_id):
    found = selectors.space_for(viewer=request.user, space_id=space_id)
    context = _space_context(request, found)
    template = "discussions/_threads.html" if request.htmx else "discussions/space.html"
    return render(request, template, context)


@login_required
@post_or_back
def start_thread(request, space_id):
    found = selectors.space_for(viewer=request.user, space_id=space_id)
    if request.method == "GET":
        return redirect(found.get_absolute_url())
    form = ThreadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            thread = services.start_thread(space=found, by=request.user, **form.cleaned_data)
        except DiscussionError as error:
            form.add_error(None, str(error))
            status = _status_for(error)
        else:
            if thread.status == Status.HELD:
                messages.info(request, _("Thanks! Your post is waiting for a moderator."))
            return redirect(thread.get_absolute_url())
    return render(
        request, "discussions/space.html", _space_context(request, found, form=form), status=status
    )


@login_required
def manage_space(request, space_id):
    found = selectors.space_for(viewer=request.user, space_id=space_id)
    if not policy.can_manage_space(request.user, found):
        raise PermissionDenied
    people = network_selectors.people_choices_in_network(network=found.network)
    mode_form = ModerationModeForm(initial={"moderation": found.moderation})
    moderator_form = ModeratorForm(people=people)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "moderation" in request.POST:
                mode_form = ModerationModeForm(request.POST)
                if mode_form.is_valid():
                    services.set_moderation(space=found, by=request.user, **mode_form.cleaned_data)
                    messages.success(request, _("The moderation mode is saved."))
                    return redirect("discussions:manage_space", found.pk)
            elif "archive" in request.POST:
                services.archive_space(space=found, by=request.user)
                messages.success(request, _("The space is archived."))
                return redirect("discussions:manage_space", found.pk)
            else:
                moderator_form = ModeratorForm(request.POST, people=people)
                if moderator_form.is_valid():
                    services.add_moderator(
                        space=found, by=request.user, person=moderator_form.cleaned_data["person"]
                    )
                    messages.success(request, _("The moderator is added."))
                    return redirect("discussions:manage_space", found.pk)
        except DiscussionError as error:
            moderator_form.add_error(None, str(error))
    context = {
        "space": found,
        "network": found.network,
        "mode_form": mode_form,
        "moderator_form": moderator_form,
        "moderators": selectors.current_moderators(space=found),
    }
    return render(request, "discussions/manage_space.html", context, status=status)


# Threads and posts --------------------------------------------------------------------------


def _posts_page(request, thread):
    """A page of the thread's posts: the one asked for, else the one holding `?post=` (where a
    notification or a reply points), else the first."""
    posts = selectors.posts_shown_in_thread(viewer=request.user, thread=thread)
    number = request.GET.get("page")
    if number is None and request.GET.get("post", "").isdigit():
        before = selectors.posts_before(posts, post_id=int(request.GET["post"]))
        if before is not None:
            number = before // settings.PAGE_SIZE + 1
    return Paginator(posts, settings.PAGE_SIZE).get_page(number)


def _post_root() -> str:
    """Where every post's pages start (urls.py: `post`); _post.html writes a post's links from it,
    as reversing four URLs for each post of the page cost more than the rest of the post."""
    return reverse("discussions:edit_post", args=[0]).removesuffix("0/edit/")


def _thread_context(request, thread, **extra):
    space = thread.space
    return {
        "post_root": _post_root(),
        "thread": thread,
        "space": space,
        "network": space.network,
        "posts": _posts_page(request, thread),
        "can_reply": policy.can_reply(request.user, thread),
        "can_moderate": policy.can_moderate(request.user, space),
        "viewer_id": request.user.pk,
        "following": selectors.follows(viewer=request.user, thread=thread),
        "form": ReplyForm(),
        **extra,
    }


@login_required
def thread(request, thread_id):
    found = selectors.thread_for(viewer=request.user, thread_id=thread_id)
    return render(request, "discussions/thread.html", _thread_context(request, found))


@login_required
@post_or_back
def reply(request, thread_id):
    found = selectors.thread_for(viewer=request.user, thread_id=thread_id)
    if request.method == "GET":
        return redirect(found.get_absolute_url())
    form = ReplyForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        quote = None
        if form.cleaned_data["quote"]:
            quote = (
                selectors.posts_of_thread(viewer=request.user, thread=found)
                .filter(pk=form.cleaned_data["quote"])
                .first()
            )
        try:
            post = services.reply(
                thread=found,
                by=request.user,
                body=form.cleaned_data["body"],
                quote_of=quote,
                attachments=form.cleaned_data["attachments"],
            )
        except DiscussionError as error:
            form.add_error(None, str(error))
            status = _status_for(error)
        else:
            if post.status == Status.HELD:
                messages.info(request, _("Thanks! Your reply is waiting for a moderator."))
            return redirect(post.get_absolute_url())
    context = _thread_context(request, found, form=form)
    return render(request, "discussions/thread.html", context, status=status)


@login_required
def edit_post(request, message_id):
    post = selectors.post_for(viewer=request.user, post_id=message_id)
    if not policy.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"])
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(post.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"post": post, "space": post.thread.space, "form": form}
    return render(request, "discussions/edit_post.html", context, status=status)


@login_required
def post_history(request, message_id):
    post = selectors.post_for(viewer=request.user, post_id=message_id)
    if not policy.can_view_history(request.user, post):
        raise Http404
    context = {
        "post": post,
        "space": post.thread.space,
        "revisions": selectors.revisions_of(post=post),
    }
    return render(request, "discussions/post_history.html", context)


@login_required
@require_POST
def moderate_post(request, message_id):
    post = selectors.post_for(viewer=request.user, post_id=message_id)
    if not policy.can_moderate(request.user, post.thread.space):
        raise Http404  # a non-moderator never learns the post is moderated
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the post."))
        return redirect(post.get_absolute_url())
    try:
        services.moderate_post(post=post, by=request.user, **form.cleaned_data)
    except DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: the moderation log records it."))
    back = request.POST.get("next", "")
    if back == "queue":
        return redirect("discussions:moderation", post.thread.space.network.slug)
    return redirect(post.get_absolute_url())


def _report(request, *, post=None, poll=None):
    target = post if post is not None else poll
    if not policy.can_report(request.user, target):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(by=request.user, post=post, poll=poll, **form.cleaned_data)
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Thank you for telling us. A member of staff will look at it soon.")
            )
            back = post.get_absolute_url() if post else poll.get_absolute_url()
            return redirect(back)
    space = post.thread.space if post else poll.space
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "post": post, "poll": poll, "space": space}
    return render(request, "discussions/report.html", context, status=status)


@login_required
def report_post(request, message_id):
    return _report(request, post=selectors.post_for(viewer=request.user, post_id=message_id))


@login_required
def report_poll(request, poll_id):
    return _report(request, poll=selectors.poll_for(viewer=request.user, poll_id=poll_id))


# Moderation ---------------------------------------------------------------------------------


@login_required
def moderation(request, network_slug):
    network = network_selectors.network_for(viewer=request.user, slug=network_slug)
    if not policy.can_view_moderation(request.user, network):
        raise PermissionDenied
    context = {
        "network": network,
        "held": selectors.held_posts(viewer=request.user, network=network)[:200],
        "reports": selectors.open_reports(viewer=request.user, network=network)[:200],
        "resolve_form": ResolveForm(),
        "acknowledge_form": AcknowledgeForm(),
    }
    return render(request, "discussions/moderation.html", context)


@login_required
def moderation_log(request, network_slug):
    network = network_selectors.network_for(viewer=request.user, slug=network_slug)
    if not policy.can_view_moderation(request.user, network):
        raise PermissionDenied
    page = _page(request, selectors.moderation_log(viewer=request.user, network=network))
    titles = selectors.space_titles(ids=[entry.space_id for entry in page.object_list])
    entries = [(entry, titles.get(entry.space_id, "")) for entry in page.object_list]
    context = {"network": network, "page": page, "entries": entries}
    return render(request, "discussions/moderation_log.html", context)


@login_required
@require_POST
def resolve_report(request, report_id):
    found = selectors.report_for(viewer=request.user, report_id=report_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_report(report=found, by=request.user, **form.cleaned_data)
        except DiscussionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is resolved."))
    else:
        messages.error(request, _("Say what was done about the report."))
    return redirect("discussions:moderation", found.space.network.slug)


@login_required
@require_POST
def acknowledge_report(request, report_id):
    found = selectors.report_for(viewer=request.user, report_id=report_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_report(report=found, by=request.user, **form.cleaned_data)
        except DiscussionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The report is acknowledged: the moderation log records it.")
            )
    return redirect("discussions:moderation", found.space.network.slug)


# Attachments and subscriptions --------------------------------------------------------------


@login_required
def attachment(request, post_attachment_id):
    """A download only, never shown inline (docs/safety.md#uploads): the detected type, nosniff and
    a sandboxing policy, reached only through a post the viewer may read."""
    found = selectors.attachment_for(viewer=request.user, attachment_id=post_attachment_id)
    try:
        with found.file.open("rb") as handle:
            response = HttpResponse(handle.read())
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return as_download(response, filename=found.original_name, content_type=found.content_type)


@login_required
@require_POST
def follow_space(request, space_id):
    found = selectors.space_for(viewer=request.user, space_id=space_id)
    if request.POST.get("follow") == "0":
        services.unsubscribe(by=request.user, space=found)
        messages.success(request, _("You no longer follow this space."))
    else:
        services.subscribe(by=request.user, space=found)
        messages.success(request, _("You follow this space: new threads reach your notifications."))
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def follow_thread(request, thread_id):
    found = selectors.thread_for(viewer=request.user, thread_id=thread_id)
    if request.POST.get("follow") == "0":
        services.unsubscribe(by=request.user, thread=found)
        messages.success(request, _("You no longer follow this thread."))
    else:
        services.subscribe(by=request.user, thread=found)
        messages.success(request, _("You follow this thread: replies reach your notifications."))
    return redirect(found.get_absolute_url())


@login_required
def network_settings(request, network_slug):
    network = network_selectors.network_for(viewer=request.user, slug=network_slug)
    if not policy.can_change_network_settings(request.user, network):
        raise PermissionDenied
    current = services.settings_for(network)
    form = NetworkSettingsForm(
        request.POST or None,
        initial={"blocked_words": current.blocked_words, "retention_days": current.retention_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_network_settings(network=network, by=request.user, **form.cleaned_data)
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The discussion settings are saved."))
            return redirect("discussions:network_settings", network.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "discussions/network_settings.html",
        {"network": network, "form": form},
        status=status,
    )


# Polls --------------------------------------------------------------------------------------


@login_required
def create_poll(request, space_id):
    found = selectors.space_for(viewer=request.user, space_id=space_id)
    if not policy.can_create_poll(request.user, found):
        raise PermissionDenied
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(
                space=found,
                by=request.user,
                question=form.cleaned_data["question"],
                options=form.option_list(),
                closes_at=form.cleaned_data["closes_at"],
                year_groups=form.cleaned_data["year_groups"],
            )
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The poll is open."))
            return redirect(poll.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"space": found, "network": found.network, "form": form}
    return render(request, "discussions/poll_form.html", context, status=status)


def _poll_context(request, poll, **extra):
    return {
        "poll": poll,
        "space": poll.space,
        "results": selectors.poll_results(poll=poll),
        "has_voted": selectors.has_voted(viewer=request.user, poll=poll),
        "can_vote": policy.can_vote(request.user, poll),
        "can_close": policy.can_close_poll(request.user, poll) and not poll.is_closed(),
        "form": VoteForm(poll=poll),
        "now": timezone.now(),
        **extra,
    }


@login_required
def poll(request, poll_id):
    found = selectors.poll_for(viewer=request.user, poll_id=poll_id)
    return render(request, "discussions/poll.html", _poll_context(request, found))


@login_required
@post_or_back
def vote(request, poll_id):
    found = selectors.poll_for(viewer=request.user, poll_id=poll_id)
    if request.method == "GET":
        return redirect(found.get_absolute_url())
    form = VoteForm(request.POST, poll=found)
    if form.is_valid():
        try:
            services.vote(poll=found, by=request.user, option=form.cleaned_data["option"])
        except DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your vote is counted, and nobody can see it."))
            return redirect(found.get_absolute_url())
    context = _poll_context(request, found, form=form)
    return render(request, "discussions/poll.html", context, status=400)


@login_required
@require_POST
def close_poll(request, poll_id):
    found = selectors.poll_for(viewer=request.user, poll_id=poll_id)
    services.close_poll(poll=found, by=request.user)
    messages.success(request, _("The poll is closed."))
    return redirect(found.get_absolute_url())


# Pupil accounts -----------------------------------------------------------------------------


def _pupils_context(school, **extra):
    return {
        "school": school,
        "pupils": selectors.pupils_of_school(school=school)[:2000],
        "form": PupilImportForm(),
        **extra,
    }


@login_required
def pupils(request, school_id):
    school = selectors.school_for_pupils(viewer=request.user, school_id=school_id)
    return render(request, "discussions/pupils.html", _pupils_context(school))


@login_required
@post_or_back
@never_cache
def import_pupils(request, school_id):
    school = selectors.school_for_pupils(viewer=request.user, school_id=school_id)
    if request.method == "GET":
        return redirect("discussions:pupils", school.pk)
    form = PupilImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            slips = services.import_pupils(
                school=school, by=request.user, text=form.cleaned_data["file"]
            )
        except InvalidPupilFile as error:
            errors = list(error.args[0])
        else:
            return render(request, "discussions/slips.html", {"school": school, "slips": slips})
    context = _pupils_context(school, form=form, import_errors=errors)
    return render(request, "discussions/pupils.html", context, status=400)


@login_required
@require_POST
@never_cache
def reset_password(request, school_id, pupil_id):
    school = selectors.school_for_pupils(viewer=request.user, school_id=school_id)
    pupil = selectors.pupil_for(school=school, pupil_id=pupil_id)
    slip = services.reset_pupil_password(pupil=pupil, by=request.user)
    return render(request, "discussions/slips.html", {"school": school, "slips": [slip]})


@login_required
@require_POST
def set_public_name(request, school_id, pupil_id):
    """The school's staff set the name other schools see for one of their pupils."""
    school = selectors.school_for_pupils(viewer=request.user, school_id=school_id)
    pupil = selectors.pupil_for(school=school, pupil_id=pupil_id)
    form = PublicNameForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.set_pupil_public_name(
                pupil=pupil, by=request.user, public_name=form.cleaned_data["public_name"]
            )
        except DiscussionError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                _("Other schools now see %(name)s as the name you set.") % {"name": pupil.name},
            )
            return redirect("discussions:pupils", school.pk)
    else:
        error = form.errors["public_name"][0]
    context = _pupils_context(school, public_name_error=error, public_name_pupil=pupil.pk)
    return render(request, "discussions/pupils.html", context, status=400)


# Parents and whānau -------------------------------------------------------------------------


@login_required
def parents(request, school_id):
    """The school's parent and whānau accounts, and inviting one (the school's staff only)."""
    school = selectors.school_for_pupils(viewer=request.user, school_id=school_id)
    form = ParentInviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                person = services.invite_parent(school=school, by=request.user, **form.cleaned_data)
            except DiscussionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s is invited: they will get an email.") % {"name": person.name},
                )
                return redirect("discussions:parents", school.pk)
    context = {
        "school": school,
        "form": form,
        "parents": selectors.parents_of_school(school=school)[:2000],
    }
    return render(request, "discussions/parents.html", context, status=status)
