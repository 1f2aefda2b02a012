"""Professional learning pages: parse, call a service or selector, render.

A refused change re-renders its page with the message and answers 400; nothing was changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netlearn.activities.errors import ActivityError
from netlearn.core.downloads import as_download
from netlearn.core.pdf import PDF_TYPE

from . import certificates, forms, policy, selectors, services
from .errors import ProgrammeError

REFUSED = (ProgrammeError, ActivityError)


def _display(person) -> str:
    return person.name or person.username


def _choices(network) -> dict:
    return {
        "people": selectors.people_choices(network=network),
        "schools": selectors.schools_choices(network=network),
    }


@login_required
def index(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return render(
        request,
        "programmes/index.html",
        {
            "network": network,
            "programmes": selectors.programmes_for(viewer=request.user, network=network),
            "relationships": selectors.relationships_for(viewer=request.user, network=network),
            "courses": selectors.courses_for(viewer=request.user, network=network),
            "plans": selectors.plans_for(viewer=request.user, network=network),
            "can_run": policy.can_run(request.user, network),
        },
    )


def _form_page(request, network, form, *, title, submit, error=None, status=200):
    return render(
        request,
        "programmes/form.html",
        {"network": network, "form": form, "title": title, "submit": submit, "error": error},
        status=status,
    )


def _runner_network(request, network_slug):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    if not policy.can_run(request.user, network):
        raise PermissionDenied
    return network


@login_required
def create_programme(request, network_slug):
    network = _runner_network(request, network_slug)
    form = forms.ProgrammeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(
                network=network, by=request.user, **form.cleaned_data
            )
        except REFUSED as exc:
            error = str(exc)
        else:
            return redirect("programmes:programme", network.slug, programme.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        network,
        form,
        title=_("New programme"),
        submit=_("Create"),
        error=error,
        status=status,
    )


def _programme_context(request, network, programme, **forms_given):
    choices = _choices(network)
    can_run = policy.can_run(request.user, network)
    timeline = selectors.timeline_of(programme=programme)
    if can_run:
        # Each wave's forms get their own ids: one page holds every wave's forms.
        for view in timeline:
            n = view.wave.number
            view.coach_form = forms.CoachForm(auto_id=f"id_w{n}_coach_%s", **choices)
            view.trainee_form = forms.TraineeForm(auto_id=f"id_w{n}_trainee_%s", **choices)
            view.school_form = forms.WaveSchoolForm(
                auto_id=f"id_w{n}_school_%s", schools=choices["schools"]
            )
            view.session_form = forms.SessionForm(auto_id=f"id_w{n}_session_%s")
    return {
        "network": network,
        "programme": programme,
        "timeline": timeline,
        "can_run": can_run,
        "wave_form": forms_given.get("wave_form") or forms.WaveForm(schools=choices["schools"]),
        "error": forms_given.get("error"),
    }


@login_required
def programme(request, network_slug, learning_programme_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    found = selectors.programme_for(
        viewer=request.user, network=network, programme_id=learning_programme_id
    )
    return render(request, "programmes/programme.html", _programme_context(request, network, found))


def _programme_of(request, network_slug, learning_programme_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    found = selectors.programme_for(
        viewer=request.user, network=network, programme_id=learning_programme_id
    )
    return network, found


def _refused(request, network, found, exc, **extra):
    context = _programme_context(request, network, found, error=str(exc), **extra)
    return render(request, "programmes/programme.html", context, status=400)


@login_required
@require_POST
def start_wave(request, network_slug, learning_programme_id):
    network, found = _programme_of(request, network_slug, learning_programme_id)
    form = forms.WaveForm(request.POST, schools=selectors.schools_choices(network=network))
    if not form.is_valid():
        return _refused(
            request, network, found, _("Check the wave's dates and schools."), wave_form=form
        )
    try:
        wave = services.start_wave(programme=found, by=request.user, **form.cleaned_data)
    except REFUSED as exc:
        return _refused(request, network, found, exc, wave_form=form)
    messages.success(
        request,
        _("Wave %(number)s starts on %(day)s.")
        % {"number": wave.number, "day": format(wave.starts_on, "%d %b %Y")},
    )
    return redirect("programmes:programme", network.slug, found.pk)


def _wave_post(request, network_slug, learning_programme_id, wave_number, form_class, act, done):
    network, found = _programme_of(request, network_slug, learning_programme_id)
    wave = selectors.wave_of(programme=found, number=wave_number)
    choices = _choices(network)
    kwargs = {}
    if issubclass(form_class, forms.NetworkChoicesForm):
        kwargs = {
            k: v
            for k, v in choices.items()
            if (k == "people" and form_class.person_fields)
            or (k == "schools" and form_class.school_fields)
        }
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        return _refused(
            request, network, found, _("Check the form (%(errors)s).") % {"errors": errors}
        )
    try:
        act(wave, form.cleaned_data)
    except REFUSED as exc:
        return _refused(request, network, found, exc)
    messages.success(request, done(wave, form.cleaned_data))
    return redirect(f"{services.wave_url(wave)}")


@login_required
@require_POST
def add_coach(request, network_slug, learning_programme_id, wave_number):
    return _wave_post(
        request,
        network_slug,
        learning_programme_id,
        wave_number,
        forms.CoachForm,
        lambda wave, data: services.add_coach(wave=wave, by=request.user, **data),
        lambda wave, data: (
            _("%(person)s coaches wave %(number)s.")
            % {"person": data["person"], "number": wave.number}
        ),
    )


@login_required
@require_POST
def add_trainee(request, network_slug, learning_programme_id, wave_number):
    return _wave_post(
        request,
        network_slug,
        learning_programme_id,
        wave_number,
        forms.TraineeForm,
        lambda wave, data: services.add_trainee(wave=wave, by=request.user, **data),
        lambda wave, data: (
            _("%(person)s is trained in wave %(number)s.")
            % {"person": data["person"], "number": wave.number}
        ),
    )


@login_required
@require_POST
def add_wave_school(request, network_slug, learning_programme_id, wave_number):
    return _wave_post(
        request,
        network_slug,
        learning_programme_id,
        wave_number,
        forms.WaveSchoolForm,
        lambda wave, data: services.add_school_to_wave(wave=wave, by=request.user, **data),
        lambda wave, data: (
            _("%(school)s joins wave %(number)s.")
            % {"school": data["school"].name, "number": wave.number}
        ),
    )


@login_required
@require_POST
def add_wave_session(request, network_slug, learning_programme_id, wave_number):
    return _wave_post(
        request,
        network_slug,
        learning_programme_id,
        wave_number,
        forms.SessionForm,
        lambda wave, data: services.add_wave_session(wave=wave, by=request.user, **data),
        lambda wave, data: (
            _("The session “%(title)s” is in the calendar.") % {"title": data["title"]}
        ),
    )


@login_required
@require_POST
def complete_place(request, network_slug, learning_programme_id, wave_number, wave_place_id):
    network, found = _programme_of(request, network_slug, learning_programme_id)
    wave = selectors.wave_of(programme=found, number=wave_number)
    place = selectors.place_of(wave=wave, place_id=wave_place_id)
    try:
        services.complete_place(place=place, by=request.user)
    except REFUSED as exc:
        return _refused(request, network, found, exc)
    messages.success(
        request,
        _("%(person)s completed wave %(number)s.")
        % {"person": place.person, "number": wave.number},
    )
    return redirect(services.wave_url(wave))


# Support relationships.


@login_required
def create_relationship(request, network_slug):
    network = _runner_network(request, network_slug)
    form = forms.RelationshipForm(request.POST or None, **_choices(network))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.create_relationship(
                network=network, by=request.user, **form.cleaned_data
            )
        except REFUSED as exc:
            error = str(exc)
        else:
            return redirect("programmes:relationship", network.slug, relationship.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        network,
        form,
        title=_("New support relationship"),
        submit=_("Create"),
        error=error,
        status=status,
    )


def _relationship_page(request, network, relationship, *, error=None, status=200, note_form=None):
    return render(
        request,
        "programmes/relationship.html",
        {
            "network": network,
            "relationship": relationship,
            "can_read_notes": policy.can_read_notes(request.user, relationship),
            "notes": selectors.notes_for(viewer=request.user, relationship=relationship),
            "sessions": selectors.sessions_of_relationship(relationship=relationship),
            "can_log": policy.can_log_session(request.user, relationship),
            "note_form": note_form or forms.NoteForm(),
            "session_form": forms.SessionForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def relationship(request, network_slug, support_relationship_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    found = selectors.relationship_for(
        viewer=request.user, network=network, relationship_id=support_relationship_id
    )
    return _relationship_page(request, network, found)


@login_required
@require_POST
def write_note(request, network_slug, support_relationship_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    found = selectors.relationship_for(
        viewer=request.user, network=network, relationship_id=support_relationship_id
    )
    if not policy.can_write_note(request.user, found):
        raise PermissionDenied
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.write_note(relationship=found, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            return _relationship_page(
                request, network, found, error=str(exc), status=400, note_form=form
            )
        messages.success(request, _("Note saved: only the pair and the co-ordinators read it."))
        return redirect("programmes:relationship", network.slug, found.pk)
    return _relationship_page(
        request, network, found, error=_("Write the note."), status=400, note_form=form
    )


@login_required
@require_POST
def log_session(request, network_slug, support_relationship_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    found = selectors.relationship_for(
        viewer=request.user, network=network, relationship_id=support_relationship_id
    )
    if not policy.can_log_session(request.user, found):
        raise PermissionDenied
    form = forms.SessionForm(request.POST)
    if not form.is_valid():
        return _relationship_page(
            request,
            network,
            found,
            error=_("Give the session a title, a start and an end."),
            status=400,
        )
    try:
        services.log_session(relationship=found, by=request.user, **form.cleaned_data)
    except REFUSED as exc:
        return _relationship_page(request, network, found, error=str(exc), status=400)
    messages.success(
        request,
        _("The session “%(title)s” is logged in the calendar.")
        % {"title": form.cleaned_data["title"]},
    )
    return redirect("programmes:relationship", network.slug, found.pk)


# Courses.


@login_required
def create_course(request, network_slug):
    network = _runner_network(request, network_slug)
    form = forms.CourseForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.create_course(
                network=network,
                by=request.user,
                title=data["title"],
                description=data["description"],
                capacity=data["capacity"],
                places_per_school=data["places_per_school"],
                modules=data["modules"].splitlines(),
                sessions_to_complete=data["sessions_to_complete"] or 0,
            )
        except REFUSED as exc:
            error = str(exc)
        else:
            return redirect("programmes:course", network.slug, course.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        network,
        form,
        title=_("New course"),
        submit=_("Create"),
        error=error,
        status=status,
    )


def _course_page(request, network, course, *, error=None, status=200, enrol_form=None):
    view = selectors.course_view(course=course)
    choices = _choices(network)
    own = [e for e in view.enrolled if e.person_id == request.user.pk]
    return render(
        request,
        "programmes/course.html",
        {
            "network": network,
            "course": course,
            "view": view,
            "can_run": policy.can_run(request.user, network),
            "progress_visible": {
                e.pk for e in view.enrolled if policy.can_see_progress(request.user, e)
            },
            "can_withdraw": {
                e.pk for e in view.enrolled if policy.can_withdraw_enrolment(request.user, e)
            },
            "own": own[0] if own else None,
            "enrol_form": enrol_form or forms.EnrolForm(auto_id="id_enrol_%s", **choices),
            "cascade_form": forms.CascadeForm(auto_id="id_cascade_%s", **choices),
            "evidence_form": forms.EvidenceForm(auto_id="id_evidence_%s"),
            "error": error,
        },
        status=status,
    )


def _course_of(request, network_slug, learning_course_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return network, selectors.course_for(
        viewer=request.user, network=network, course_id=learning_course_id
    )


@login_required
def course(request, network_slug, learning_course_id):
    network, found = _course_of(request, network_slug, learning_course_id)
    return _course_page(request, network, found)


@login_required
@require_POST
def enrol(request, network_slug, learning_course_id):
    network, found = _course_of(request, network_slug, learning_course_id)
    form = forms.EnrolForm(request.POST, auto_id="id_enrol_%s", **_choices(network))
    if not form.is_valid():
        return _course_page(
            request,
            network,
            found,
            error=_("Choose the participant and their school."),
            status=400,
            enrol_form=form,
        )
    data = form.cleaned_data
    if not policy.can_enrol(
        request.user, found, school_id=data["school"].pk, for_person_id=data["person"].pk
    ):
        raise PermissionDenied
    try:
        enrolment = services.enrol(course=found, by=request.user, **data)
    except REFUSED as exc:
        return _course_page(request, network, found, error=str(exc), status=400, enrol_form=form)
    messages.success(
        request,
        _("%(person)s: %(status)s.")
        % {"person": data["person"], "status": enrolment.get_status_display().lower()},
    )
    return redirect("programmes:course", network.slug, found.pk)


@login_required
@require_POST
def schedule_module(request, network_slug, learning_course_id, course_module_number):
    network, found = _course_of(request, network_slug, learning_course_id)
    module = selectors.module_of(course=found, number=course_module_number)
    if not policy.can_run(request.user, network):
        raise PermissionDenied
    form = forms.SessionForm(request.POST)
    if not form.is_valid():
        return _course_page(
            request, network, found, error=_("Give the session a start and an end."), status=400
        )
    try:
        services.schedule_module(
            module=module,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
        )
    except REFUSED as exc:
        return _course_page(request, network, found, error=str(exc), status=400)
    messages.success(
        request, _("Module %(number)s's session is in the calendar.") % {"number": module.number}
    )
    return redirect("programmes:course", network.slug, found.pk)


def _enrolment(request, network_slug, learning_course_id, course_enrolment_id):
    network, found = _course_of(request, network_slug, learning_course_id)
    enrolment = selectors.enrolment_of(course=found, enrolment_id=course_enrolment_id)
    return network, found, enrolment


@login_required
@require_POST
def withdraw(request, network_slug, learning_course_id, course_enrolment_id):
    network, found, enrolment = _enrolment(
        request, network_slug, learning_course_id, course_enrolment_id
    )
    if not policy.can_withdraw_enrolment(request.user, enrolment):
        raise PermissionDenied
    try:
        services.withdraw(enrolment=enrolment, by=request.user)
    except REFUSED as exc:
        return _course_page(request, network, found, error=str(exc), status=400)
    messages.success(request, _("The place was given back."))
    return redirect("programmes:course", network.slug, found.pk)


@login_required
@require_POST
def record_cascade(request, network_slug, learning_course_id, course_enrolment_id):
    network, found, enrolment = _enrolment(
        request, network_slug, learning_course_id, course_enrolment_id
    )
    if not policy.can_record_cascade(request.user, enrolment):
        raise PermissionDenied
    form = forms.CascadeForm(request.POST, **_choices(network))
    if not form.is_valid():
        return _course_page(
            request,
            network,
            found,
            error=_("Choose the colleague, their school and the day."),
            status=400,
        )
    try:
        services.record_cascade(enrolment=enrolment, by=request.user, **form.cleaned_data)
    except REFUSED as exc:
        return _course_page(request, network, found, error=str(exc), status=400)
    messages.success(
        request,
        _("%(person)s counts in the course's reach.") % {"person": form.cleaned_data["colleague"]},
    )
    return redirect("programmes:course", network.slug, found.pk)


@login_required
@require_POST
def add_evidence(request, network_slug, learning_course_id, course_enrolment_id):
    network, found, enrolment = _enrolment(
        request, network_slug, learning_course_id, course_enrolment_id
    )
    if not policy.can_record_cascade(request.user, enrolment):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST)
    if not form.is_valid():
        return _course_page(request, network, found, error=_("Write the evidence."), status=400)
    services.add_evidence(enrolment=enrolment, by=request.user, **form.cleaned_data)
    messages.success(request, _("Evidence saved."))
    return redirect("programmes:course", network.slug, found.pk)


@login_required
def certificate(request, network_slug, learning_course_id, course_enrolment_id):
    network, found, enrolment = _enrolment(
        request, network_slug, learning_course_id, course_enrolment_id
    )
    if not policy.can_view_certificate(request.user, enrolment):
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(enrolment=enrolment))
    return as_download(
        response, filename=f"certificate-{found.pk}-{enrolment.pk}.pdf", content_type=PDF_TYPE
    )


# Induction.


@login_required
def create_induction(request, network_slug):
    network = _runner_network(request, network_slug)
    form = forms.InductionForm(request.POST or None, **_choices(network))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.start_induction(network=network, by=request.user, **form.cleaned_data)
        except REFUSED as exc:
            error = str(exc)
        else:
            return redirect("programmes:induction", network.slug, plan.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        network,
        form,
        title=_("New induction plan"),
        submit=_("Start the plan"),
        error=error,
        status=status,
    )


@login_required
def checklist(request, network_slug):
    network = _runner_network(request, network_slug)
    steps = selectors.induction_steps_of(network=network) or list(services.DEFAULT_STEPS)
    form = forms.ChecklistForm(request.POST or None, initial={"steps": "\n".join(steps)})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.set_induction_steps(
                network=network, steps=form.cleaned_data["steps"].splitlines(), by=request.user
            )
        except REFUSED as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("The induction checklist is saved; new plans start from it.")
            )
            return redirect("programmes:index", network.slug)
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        network,
        form,
        title=_("Induction checklist"),
        submit=_("Save"),
        error=error,
        status=status,
    )


def _plan(request, network_slug, induction_plan_id):
    network = selectors.network_for(viewer=request.user, network_slug=network_slug)
    return network, selectors.plan_for(
        viewer=request.user, network=network, plan_id=induction_plan_id
    )


def _plan_page(request, network, plan, *, error=None, status=200, mentor_form=None):
    return render(
        request,
        "programmes/induction.html",
        {
            "network": network,
            "plan": plan,
            "tasks": plan.tasks.all(),
            "meetings": sorted(plan.meetings.all(), key=lambda a: a.starts_at),
            "can_tick": policy.can_tick(request.user, plan),
            "can_name_mentor": policy.can_run(request.user, network),
            "mentor_form": mentor_form
            or forms.MentorForm(
                auto_id="id_mentor_%s",
                initial={"mentor": plan.mentor_id},
                **_choices(network),
            ),
            "session_form": forms.SessionForm(),
            "error": error,
        },
        status=status,
    )


@login_required
def induction(request, network_slug, induction_plan_id):
    network, plan = _plan(request, network_slug, induction_plan_id)
    return _plan_page(request, network, plan)


@login_required
@require_POST
def tick(request, network_slug, induction_plan_id, induction_task_id):
    network, plan = _plan(request, network_slug, induction_plan_id)
    task = selectors.task_of(plan=plan, task_id=induction_task_id)
    if not policy.can_tick(request.user, plan):
        raise PermissionDenied
    services.tick(task=task, done=request.POST.get("done") != "0", by=request.user)
    return redirect("programmes:induction", network.slug, plan.pk)


@login_required
@require_POST
def name_mentor(request, network_slug, induction_plan_id):
    network, plan = _plan(request, network_slug, induction_plan_id)
    if not policy.can_run(request.user, network):
        raise PermissionDenied
    form = forms.MentorForm(request.POST, auto_id="id_mentor_%s", **_choices(network))
    if not form.is_valid():
        return _plan_page(
            request,
            network,
            plan,
            error=_("Choose the mentor from the network's staff."),
            status=400,
            mentor_form=form,
        )
    try:
        plan = services.name_mentor(plan=plan, mentor=form.cleaned_data["mentor"], by=request.user)
    except REFUSED as exc:
        return _plan_page(request, network, plan, error=str(exc), status=400, mentor_form=form)
    messages.success(
        request,
        _("%(mentor)s mentors the newcomer.") % {"mentor": _display(plan.mentor)},
    )
    return redirect("programmes:induction", network.slug, plan.pk)


@login_required
@require_POST
def add_meeting(request, network_slug, induction_plan_id):
    network, plan = _plan(request, network_slug, induction_plan_id)
    if not policy.can_tick(request.user, plan):
        raise PermissionDenied
    form = forms.SessionForm(request.POST)
    if not form.is_valid():
        return _plan_page(
            request,
            network,
            plan,
            error=_("Give the meeting a title, a start and an end."),
            status=400,
        )
    try:
        services.add_first_meeting(plan=plan, by=request.user, **form.cleaned_data)
    except REFUSED as exc:
        return _plan_page(request, network, plan, error=str(exc), status=400)
    messages.success(request, _("The meeting is in the calendar."))
    return redirect("programmes:induction", network.slug, plan.pk)
