"""Pages for collaborative enquiry: the overview, one enquiry with its method's records, lesson
observation on a phone, run charts, evidence and accounts. Views parse, call services, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from netlearn.core.downloads import as_download

from . import policy, selectors, services
from .errors import EnquiryError
from .forms import (
    AccountForm,
    AttachmentForm,
    CasePupilForm,
    CycleForm,
    CycleUpdateForm,
    DataPointForm,
    DiscussionForm,
    EnquiryEditForm,
    EnquiryForm,
    FilterForm,
    FindingsForm,
    LessonForm,
    ObservationForm,
    ReviewForm,
    RunChartRulesForm,
    SpiralForm,
    SubQuestionForm,
)
from .models import Method, SpiralPhase

# The question each phase of the spiral asks: Timperley, Kaiser & Halbert (2014),
# docs/seed-practices.md#spirals-of-inquiry.
SPIRAL_PROMPTS = {
    SpiralPhase.SCANNING: gettext_lazy("What is going on for our learners? How do we know?"),
    SpiralPhase.FOCUSING: gettext_lazy(
        "Where will concentrating our energy make the most difference?"
    ),
    SpiralPhase.HUNCH: gettext_lazy(
        "How are we contributing to the situation? What do we believe about it?"
    ),
    SpiralPhase.LEARNING: gettext_lazy("How and where will we learn more about what to do?"),
    SpiralPhase.ACTION: gettext_lazy("What will we do differently to make enough of a difference?"),
    SpiralPhase.CHECKING: gettext_lazy("Have we made enough of a difference? How do we know?"),
}


def _network(request, network_slug):
    return selectors.network_for(viewer=request.user, network_slug=network_slug)


def _enquiry(request, network_slug, enquiry_id):
    network = _network(request, network_slug)
    return network, selectors.enquiry_for(
        viewer=request.user, network=network, enquiry_id=enquiry_id
    )


def _editable(request, network_slug, enquiry_id):
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    if not policy.can_edit_enquiry(request.user, enquiry):
        raise PermissionDenied
    return network, enquiry


def _enquiry_form(form_class, network, data=None, initial=None, *, viewer):
    return form_class(
        data,
        initial=initial,
        groups=selectors.groups_to_start_for(viewer=viewer, network=network),
        foci=selectors.foci_of(network=network),
        goals=selectors.goals_of(network=network),
        schools=selectors.schools_of(network=network),
    )


# Overview -------------------------------------------------------------------------------------


@login_required
def overview(request, network_slug):
    network = _network(request, network_slug)
    filters = FilterForm(
        request.GET or None,
        foci=selectors.foci_of(network=network),
        schools=selectors.schools_of(network=network),
    )
    can_set_rules = policy.can_set_run_chart_rules(request.user, network)
    rules_form = RunChartRulesForm(
        request.POST if request.method == "POST" else None,
        initial={"rules": selectors.run_chart_default_of(network=network)},
    )
    status = 200
    if request.method == "POST":
        if not can_set_rules:
            raise PermissionDenied
        if rules_form.is_valid():
            services.set_run_chart_default(
                network=network, by=request.user, rules=rules_form.cleaned_data["rules"]
            )
            messages.success(request, _("The network's run charts are now read by those rules."))
            return redirect("enquiry:overview", network.slug)
        status = 400
    summary = selectors.overview_of(viewer=request.user, network=network, filters=filters.values())
    context = {
        "network": network,
        "overview": summary,
        "filters": filters,
        "stale_days": selectors.stale_after().days,
        "can_start": policy.can_start_enquiry(request.user, network),
        "rules_form": rules_form if can_set_rules else None,
    }
    return render(request, "enquiry/overview.html", context, status=status)


@login_required
def start_enquiry(request, network_slug):
    network = _network(request, network_slug)
    if not policy.can_start_enquiry(request.user, network):
        raise PermissionDenied
    form = _enquiry_form(EnquiryForm, network, request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = services.start_enquiry(
                network=network,
                by=request.user,
                question=data["question"],
                method=data["method"],
                group=data["group"],
                focus=data["focus"],
                goal=data["goal"],
                schools=list(data["schools"]),
                summary=data["summary"],
                started=data["started"],
                ends=data["ends"],
                measure=data["measure"],
                measure_unit=data["measure_unit"],
            )
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The enquiry is started."))
            return redirect(enquiry.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "enquiry": None}
    return render(request, "enquiry/enquiry_form.html", context, status=status)


@login_required
def edit_enquiry(request, network_slug, enquiry_id):
    network, enquiry = _editable(request, network_slug, enquiry_id)
    initial = {
        "question": enquiry.question,
        "stage": enquiry.stage,
        "focus": enquiry.focus_id,
        "goal": enquiry.goal_id,
        "schools": [school.pk for school in enquiry.schools.all()],
        "summary": enquiry.summary,
        "ends": enquiry.ends,
        "measure": enquiry.measure,
        "measure_unit": enquiry.measure_unit,
        "baseline_points": enquiry.baseline_points,
        "run_chart_rules": enquiry.run_chart_rules,
    }
    form = _enquiry_form(
        EnquiryEditForm, network, request.POST or None, initial=initial, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_enquiry(
                enquiry=enquiry,
                by=request.user,
                question=data["question"],
                stage=data["stage"],
                focus=data["focus"],
                goal=data["goal"],
                schools=list(data["schools"]),
                summary=data["summary"],
                ends=data["ends"],
                measure=data["measure"],
                measure_unit=data["measure_unit"],
                baseline_points=data["baseline_points"],
                run_chart_rules=data["run_chart_rules"],
            )
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The enquiry is saved."))
            return redirect(enquiry.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "form": form, "enquiry": enquiry}
    return render(request, "enquiry/enquiry_form.html", context, status=status)


# One enquiry ----------------------------------------------------------------------------------


def _detail_context(request, network, enquiry, **forms):
    viewer = request.user
    case_notes = policy.can_see_case_pupils(viewer, enquiry)
    can_edit = policy.can_edit_enquiry(viewer, enquiry)
    context = {
        "network": network,
        "enquiry": enquiry,
        "can_edit": can_edit,
        "case_notes": case_notes,
        "stale": selectors.is_stale(enquiry),
        "attachments": selectors.attachments_of(enquiry=enquiry),
        "account": selectors.account_of(viewer=viewer, enquiry=enquiry),
        "people": selectors.group_people(group=enquiry.group),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
    }
    if enquiry.method == Method.LESSON_STUDY:
        context["lessons"] = selectors.lessons_of(enquiry=enquiry, with_case_notes=case_notes)
        if case_notes:
            context["case_pupils"] = selectors.case_pupils_of(enquiry=enquiry)
            context["pupil_form"] = forms.get("pupil_form") or CasePupilForm()
    elif enquiry.method == Method.SPIRAL:
        entries = list(selectors.spiral_entries_of(enquiry=enquiry))
        context["phases"] = [
            (phase, SPIRAL_PROMPTS[phase], [e for e in entries if e.phase == phase])
            for phase in SpiralPhase
        ]
        context["spiral_form"] = forms.get("spiral_form") or SpiralForm()
    elif enquiry.method == Method.PDSA:
        context["cycles"] = [
            (cycle, CycleUpdateForm(initial=vars(cycle), prefix=f"c{cycle.pk}"))
            for cycle in selectors.cycles_of(enquiry=enquiry)
        ]
        context["chart"] = selectors.run_chart_of(enquiry=enquiry)
        context["cycle_form"] = forms.get("cycle_form") or CycleForm()
        context["data_form"] = forms.get("data_form") or DataPointForm()
    elif enquiry.method == Method.SHARED:
        context["parts"] = selectors.sub_questions_of(enquiry=enquiry)
        context["part_form"] = forms.get("part_form") or SubQuestionForm(
            schools=selectors.schools_of(network=network)
        )
        context["review_form"] = forms.get("review_form") or ReviewForm(
            initial={"review": enquiry.combined_review}
        )
    return context


def _detail(request, network, enquiry, status=200, **forms):
    context = _detail_context(request, network, enquiry, **forms)
    return render(request, "enquiry/enquiry_detail.html", context, status=status)


@login_required
def enquiry_detail(request, network_slug, enquiry_id):
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    return _detail(request, network, enquiry)


def _post_form(request, network_slug, enquiry_id, form_name, build, act, *, observe=False):
    """Shared shape of the detail page's small forms: check, call, redirect or re-render."""
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    allowed = policy.can_observe if observe else policy.can_edit_enquiry
    if not allowed(request.user, enquiry):
        raise PermissionDenied
    form = build(network, request)
    if form.is_valid():
        try:
            act(enquiry, form.cleaned_data)
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            return redirect(enquiry.get_absolute_url())
    return _detail(request, network, enquiry, status=400, **{form_name: form})


@login_required
@require_POST
def add_case_pupil(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "pupil_form",
        lambda network, request: CasePupilForm(request.POST),
        lambda enquiry, data: services.add_case_pupil(enquiry=enquiry, by=request.user, **data),
        observe=True,
    )


@login_required
@require_POST
def add_spiral_entry(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "spiral_form",
        lambda network, request: SpiralForm(request.POST),
        lambda enquiry, data: services.add_spiral_entry(enquiry=enquiry, by=request.user, **data),
    )


@login_required
@require_POST
def add_cycle(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "cycle_form",
        lambda network, request: CycleForm(request.POST),
        lambda enquiry, data: services.add_cycle(enquiry=enquiry, by=request.user, **data),
    )


@login_required
@require_POST
def update_cycle(request, network_slug, enquiry_id, cycle_id):
    network, enquiry = _editable(request, network_slug, enquiry_id)
    cycle = selectors.cycle_for(enquiry=enquiry, cycle_id=cycle_id)
    cycle.enquiry = enquiry
    form = CycleUpdateForm(request.POST, prefix=f"c{cycle.pk}")
    if form.is_valid():
        try:
            services.update_cycle(cycle=cycle, by=request.user, **form.cleaned_data)
        except EnquiryError as error:
            messages.error(request, str(error))
        return redirect(enquiry.get_absolute_url())
    messages.error(request, _("Act: choose adopt, adapt or abandon."))
    return _detail(request, network, enquiry, status=400)


@login_required
@require_POST
def add_data_point(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "data_form",
        lambda network, request: DataPointForm(request.POST),
        lambda enquiry, data: services.add_data_point(enquiry=enquiry, by=request.user, **data),
    )


@login_required
@require_POST
def add_sub_question(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "part_form",
        lambda network, request: SubQuestionForm(
            request.POST, schools=selectors.schools_of(network=network)
        ),
        lambda enquiry, data: services.add_sub_question(enquiry=enquiry, by=request.user, **data),
    )


@login_required
@require_POST
def record_findings(request, network_slug, enquiry_id, part_id):
    network, enquiry = _editable(request, network_slug, enquiry_id)
    part = selectors.sub_question_for(enquiry=enquiry, part_id=part_id)
    part.enquiry = enquiry
    form = FindingsForm(request.POST)
    if form.is_valid():
        try:
            services.record_findings(part=part, by=request.user, **form.cleaned_data)
        except EnquiryError as error:
            messages.error(request, str(error))
        return redirect(enquiry.get_absolute_url())
    messages.error(request, _("Write the findings before saving them."))
    return _detail(request, network, enquiry, status=400)


@login_required
@require_POST
def combined_review(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "review_form",
        lambda network, request: ReviewForm(request.POST),
        lambda enquiry, data: services.record_combined_review(
            enquiry=enquiry, by=request.user, **data
        ),
    )


@login_required
@require_POST
def add_attachment(request, network_slug, enquiry_id):
    return _post_form(
        request,
        network_slug,
        enquiry_id,
        "attachment_form",
        lambda network, request: AttachmentForm(request.POST, request.FILES),
        lambda enquiry, data: services.add_attachment(enquiry=enquiry, by=request.user, **data),
    )


@login_required
def attachment(request, network_slug, enquiry_id, attachment_id):
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    item = selectors.attachment_for(enquiry=enquiry, attachment_id=attachment_id)
    if not item.file:
        raise Http404
    # Files are at most 10 MB: read whole, so the response is an ordinary one.
    with item.file.open("rb") as handle:
        response = HttpResponse(handle.read())
    return as_download(response, filename=item.file_name or item.file.name.rsplit("/", 1)[-1])


# Research lessons -----------------------------------------------------------------------------


@login_required
def plan_lesson(request, network_slug, enquiry_id):
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    if not policy.can_observe(request.user, enquiry) or enquiry.method != Method.LESSON_STUDY:
        raise PermissionDenied
    form = LessonForm(
        request.POST or None,
        pupils=selectors.case_pupils_of(enquiry=enquiry),
        people=selectors.group_people(group=enquiry.group),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teacher = data["teacher"]
        school = None
        if teacher is not None:
            post = teacher.staff_posts.current().select_related("school").first()
            school = post.school if post else None
        try:
            lesson = services.plan_lesson(
                enquiry=enquiry,
                by=request.user,
                learning_goal=data["learning_goal"],
                predictions=form.predictions(),
                taught_on=data["taught_on"],
                teacher=teacher,
                school=school
                if school and school.pk in {s.pk for s in selectors.schools_of(network=network)}
                else None,
            )
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Research lesson %(number)s is planned.") % {"number": lesson.number}
            )
            return redirect("enquiry:lesson", network.slug, enquiry.pk, lesson.pk)
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "enquiry": enquiry, "form": form}
    return render(request, "enquiry/lesson_form.html", context, status=status)


def _lesson(request, network_slug, enquiry_id, lesson_id):
    network, enquiry = _enquiry(request, network_slug, enquiry_id)
    case_notes = policy.can_see_case_pupils(request.user, enquiry)
    lesson = selectors.lesson_for(enquiry=enquiry, lesson_id=lesson_id, with_case_notes=case_notes)
    return network, enquiry, lesson, case_notes


def _lesson_page(request, network, enquiry, lesson, case_notes, *, status=200, **forms):
    context = {
        "network": network,
        "enquiry": enquiry,
        "lesson": lesson,
        "case_notes": case_notes,
        "can_edit": policy.can_edit_enquiry(request.user, enquiry),
        "discussion_form": forms.get("discussion_form")
        or DiscussionForm(
            initial={"discussion": lesson.discussion, "next_changes": lesson.next_changes}
        ),
    }
    return render(request, "enquiry/lesson_detail.html", context, status=status)


@login_required
def lesson_detail(request, network_slug, enquiry_id, lesson_id):
    network, enquiry, lesson, case_notes = _lesson(request, network_slug, enquiry_id, lesson_id)
    return _lesson_page(request, network, enquiry, lesson, case_notes)


@login_required
def observe(request, network_slug, enquiry_id, lesson_id):
    """The observer's page during the lesson: pick a pupil, write, save; time-stamped."""
    network, enquiry, lesson, case_notes = _lesson(request, network_slug, enquiry_id, lesson_id)
    if not policy.can_observe(request.user, enquiry):
        raise PermissionDenied
    pupils = selectors.case_pupils_of(enquiry=enquiry)
    form = ObservationForm(request.POST or None, pupils=pupils)
    saved = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.record_observation(
                    lesson=lesson,
                    by=request.user,
                    case_pupil_id=form.cleaned_data["case_pupil"],
                    note=form.cleaned_data["note"],
                )
            except EnquiryError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                chosen = form.cleaned_data["case_pupil"]
                form = ObservationForm(pupils=pupils, initial={"case_pupil": chosen})
        else:
            status = 400
    mine = [o for o in lesson.observations.all() if o.observer_id == request.user.pk]
    if saved is not None:
        mine = [*mine, saved] if saved not in mine else mine
    context = {
        "network": network,
        "enquiry": enquiry,
        "lesson": lesson,
        "form": form,
        "saved": saved,
        "mine": sorted(mine, key=lambda o: o.observed_at, reverse=True),
    }
    template = "enquiry/_observe_form.html" if request.htmx else "enquiry/observe.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def discussion(request, network_slug, enquiry_id, lesson_id):
    network, enquiry, lesson, case_notes = _lesson(request, network_slug, enquiry_id, lesson_id)
    if not policy.can_edit_enquiry(request.user, enquiry):
        raise PermissionDenied
    form = DiscussionForm(request.POST)
    if form.is_valid():
        try:
            services.record_discussion(lesson=lesson, by=request.user, **form.cleaned_data)
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post-lesson discussion is saved."))
            return redirect(enquiry.get_absolute_url())
    return _lesson_page(
        request, network, enquiry, lesson, case_notes, status=400, discussion_form=form
    )


# Accounts -------------------------------------------------------------------------------------


@login_required
def write_account(request, network_slug, enquiry_id):
    network, enquiry = _editable(request, network_slug, enquiry_id)
    account = selectors.account_of(viewer=request.user, enquiry=enquiry)
    initial = (
        {
            "title": account.title,
            "question": account.question,
            "what_we_tried": account.what_we_tried,
            "what_we_learned": account.what_we_learned,
            "evidence": account.evidence,
            "what_others_could_try": account.what_others_could_try,
            "audience": account.audience,
        }
        if account
        else {"title": enquiry.question[:200], "question": enquiry.question}
    )
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.write_account(enquiry=enquiry, by=request.user, **form.cleaned_data)
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The account is saved as a draft for the group to review."))
            return redirect(account.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"network": network, "enquiry": enquiry, "form": form, "account": account}
    return render(request, "enquiry/account_form.html", context, status=status)


@login_required
def accounts(request, network_slug):
    network = _network(request, network_slug)
    search = request.GET.get("q", "")[:200]
    rows = selectors.accounts_in_network(viewer=request.user, network=network, search=search)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"network": network, "page": page, "search": search}
    return render(request, "enquiry/accounts.html", context)


@login_required
def account_detail(request, network_slug, account_id):
    # Not `_network`: an account shared with every network opens for their members too.
    account = selectors.readable_account_for(
        viewer=request.user, network_slug=network_slug, account_id=account_id
    )
    network = account.enquiry.network
    context = {
        "network": network,
        "account": account,
        "is_member": policy.can_view_network_enquiry(request.user, network),
        "can_edit": policy.can_edit_account(request.user, account),
        "can_review": policy.can_review_account(request.user, account),
        "can_publish": policy.can_publish_account(request.user, account),
    }
    return render(request, "enquiry/account_detail.html", context)


@login_required
def shared_accounts(request):
    rows = selectors.shared_with(viewer=request.user)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enquiry/shared_accounts.html", {"page": page})


def _account_step(request, network_slug, account_id, step, done):
    network = _network(request, network_slug)
    account = selectors.account_for(viewer=request.user, network=network, account_id=account_id)
    if not policy.can_edit_account(request.user, account):
        raise PermissionDenied
    try:
        step(account=account, by=request.user)
    except EnquiryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(account.get_absolute_url())


@login_required
@require_POST
def review_account(request, network_slug, account_id):
    return _account_step(
        request, network_slug, account_id, services.review_account, _("The account is reviewed.")
    )


@login_required
@require_POST
def publish_account(request, network_slug, account_id):
    return _account_step(
        request,
        network_slug,
        account_id,
        services.publish_account,
        _("The account is published."),
    )
