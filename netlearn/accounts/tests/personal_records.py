"""A person with records in every app of the first wave, their name written into their text.

Their name, username and email are unusual on purpose, so that a search of every text column
after erasure finds them only where erasure failed. Another person's marker sits in records that
involve both, to show it never reaches this person's export.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from netlearn.accounts import services as account_services
from netlearn.accounts.models import Person
from netlearn.activities.models import (
    Action,
    Activity,
    Attendance,
    FeedToken,
    Invitation,
    Note,
    Occurrence,
    ReleaseRequest,
    Rsvp,
    VisitFeedback,
)
from netlearn.charter.models import (
    Charter,
    CharterVersion,
    Digression,
    Goal,
    LearningFocus,
    ProgressEntry,
    SignOff,
)
from netlearn.discussions import services as discussion_services
from netlearn.discussions.models import Attachment as PostAttachment
from netlearn.discussions.tests.factories import staff_space
from netlearn.enquiry.models import (
    Account,
    Attachment,
    CasePupil,
    DataPoint,
    Enquiry,
    Observation,
    ResearchLesson,
    SpiralEntry,
)
from netlearn.library.models import Trial
from netlearn.library.tests.factories import add_resource, pdf_upload
from netlearn.networks import services as network_services
from netlearn.networks.models import (
    JoinRequest,
    NetworkRole,
    PostLevel,
    Role,
    SchoolChange,
    SchoolChangeKind,
    SchoolEmailDomain,
)
from netlearn.networks.tests.factories import PersonFactory

NAME = "Ngaio Whitcombe-Tautahi"
USERNAME = "ngaio.wt"
EMAIL = "ngaio.wt@example.org"
# Another person's words that appear in records this person shares with them.
OTHER_MARK = "QQOTHERPERSONQQ"


def make_subject(world) -> Person:
    person = PersonFactory(username=USERNAME, name=NAME, email=EMAIL, bio=f"I am {NAME}.")
    account_services.set_expertise(person=person, names=[f"{NAME} method", "Lesson study"])
    network_services.add_staff_post(
        person=person, school=world.school_a, job_title="Teacher of maths", level=PostLevel.TEACHER
    )
    network_services.assign_role(
        network=world.network, person=person, role=Role.COACH, by=world.admin
    )
    network_services.add_group_member(group=world.group, person=person, by=world.admin)
    # A sensitive role proposed for them (which writes the role audit log) and an invitation.
    network_services.propose_role(
        network=world.network,
        person=person,
        role=Role.DATA_LEAD,
        note=f"{NAME} keeps the KS2 data",
        by=world.co_leader,
    )
    network_services.add_staff_member(
        school=world.school_b,
        by=world.school_lead,
        name=NAME,
        email=EMAIL,
        job_title=f"Visiting teacher, says {NAME}",
        level=PostLevel.TEACHER,
    )
    account_services.create_access_token(person=person, name=f"{NAME}'s laptop", by=person)
    account_services.record_sign_in(
        person=person, session_key=f"walk-{person.pk}", user_agent="Firefox/128.0 (X11; Linux)"
    )
    # Single sign-on: an identity linked with the claims its provider gave, the address allauth
    # recorded, a domain they said was their school's and a request to join another school.
    SocialAccount.objects.create(
        user=person,
        provider="school-idp",
        uid=f"idp-{USERNAME}",
        extra_data={"userinfo": {"name": NAME, "email": EMAIL, "email_verified": True}},
    )
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    SchoolEmailDomain.objects.create(school=world.school_a, domain="ngaio.example", added_by=person)
    JoinRequest.objects.create(
        school=world.school_c, person=person, name=NAME, email=EMAIL, provider="school-idp"
    )
    # A closure they recorded, their name in its reason.
    SchoolChange.objects.create(
        kind=SchoolChangeKind.CLOSURE,
        school=world.outside_school,
        on=timezone.localdate(),
        reason=f"Agreed with {NAME}",
        by=person,
    )
    return person


def add_records(world, person) -> dict:
    """One row of every model of accounts, networks, activities, charter, library and enquiry
    that refers to `person`; returns the shared objects whose pages must still load."""
    other = world.co_leader
    other.name = f"Cora {OTHER_MARK}"
    other.save(update_fields=["name"])
    now = timezone.now()
    start = now + datetime.timedelta(days=7)
    end = start + datetime.timedelta(hours=2)

    # Activities.
    activity = Activity.objects.create(
        network=world.network,
        title=f"Planning with {NAME}",
        description=f"Write to {EMAIL}",
        organiser=person,
        starts_at=start,
        ends_at=end,
    )
    occurrence = Occurrence.objects.create(
        activity=activity, starts_at=start, ends_at=end, original_start=start
    )
    Invitation.objects.create(activity=activity, person=person, school=world.school_a)
    Rsvp.objects.create(occurrence=occurrence, person=person, response="going")
    Attendance.objects.create(
        occurrence=occurrence, person=person, school=world.school_a, present=True, recorded_by=other
    )
    Attendance.objects.create(
        occurrence=occurrence, person=other, school=world.school_a, present=True, recorded_by=person
    )
    VisitFeedback.objects.create(
        activity=activity,
        author=person,
        what_we_saw=f"{NAME} saw drafts",
        what_we_learned="Modelling works",
        what_we_will_try="Shared writing",
        feedback_to_host="Thank you",
    )
    Note.objects.create(activity=activity, author=person, body=f"Notes by {USERNAME}")
    Action.objects.create(
        activity=activity, title=f"{NAME} sends the plan", owner=person, created_by=other
    )
    ReleaseRequest.objects.create(
        activity=activity, person=person, sessions=Decimal("1"), reason=f"{NAME} teaches then"
    )
    ReleaseRequest.objects.create(
        activity=activity,
        person=other,
        sessions=Decimal("1"),
        reason=f"{OTHER_MARK} has a hospital appointment",
        status="approved",
        decided_by=person,
        decided_at=now,
        decision_note="Approved from the pooled budget",
    )
    FeedToken.objects.create(person=person, prefix="nl_feed", token_hash="f" * 64)

    # Charter.
    charter = Charter.objects.create(network=world.network, purpose="Better writing")
    focus = LearningFocus.objects.create(charter=charter, title="Writing in KS2")
    goal = Goal.objects.create(
        focus=focus,
        measure="Pupils at the expected standard",
        unit="%",
        baseline_value=Decimal("60"),
        baseline_date=datetime.date(2024, 7, 1),
        target_value=Decimal("75"),
        target_date=datetime.date(2026, 7, 1),
    )
    ProgressEntry.objects.create(
        goal=goal,
        measured_on=datetime.date(2025, 1, 1),
        value=Decimal("64"),
        note=f"Moderated by {NAME}",
        evidence=ContentFile(f"Moderation notes, {NAME}".encode(), name="notes.txt"),
        evidence_name=f"{USERNAME} notes.txt",
        recorded_by=person,
    )
    version = CharterVersion.objects.create(
        charter=charter,
        number=1,
        content={"purpose": "Better writing", "note": f"drafted with {NAME}"},
        summary=f"First draft by {USERNAME}",
        created_by=person,
        proposed_by=person,
        proposed_at=now,
    )
    SignOff.objects.create(version=version, school=world.school_a, signed_by=person)
    Digression.objects.create(
        charter=charter,
        kind="goal_changed",
        goal=goal,
        what="Target lowered",
        reason=f"{NAME} argued for it",
        version=version,
        recorded_by=person,
    )

    # Library, through its services: the file is real and indexed for search.
    resource = add_resource(
        world.network,
        by=person,
        title=f"{NAME}'s fraction walls",
        upload=pdf_upload(f"Fractions by {NAME}", name=f"{USERNAME}.pdf"),
    )
    Trial.objects.create(
        resource=resource,
        teacher=person,
        school=world.school_a,
        year_group="Year 5",
        class_size=28,
        trialled_on=datetime.date(2025, 3, 1),
        how_it_went=f"{NAME}'s class enjoyed it",
        impact_rating=5,
        ease_rating=5,
        adaptability_rating=5,
    )

    # Enquiry.
    enquiry = Enquiry.objects.create(
        network=world.network,
        question=f"Does {NAME}'s modelling help?",
        group=world.group,
        method="lesson_study",
        created_by=person,
    )
    case_pupil = CasePupil.objects.create(enquiry=enquiry, code="A", description="Quiet writer")
    lesson = ResearchLesson.objects.create(
        enquiry=enquiry, number=1, teacher=person, learning_goal=f"{NAME}'s goal"
    )
    Observation.objects.create(
        lesson=lesson, case_pupil=case_pupil, observer=person, note=f"Seen by {EMAIL}"
    )
    SpiralEntry.objects.create(
        enquiry=enquiry, phase="scanning", notes=f"{NAME} scanned", author=person
    )
    DataPoint.objects.create(
        enquiry=enquiry,
        measured_on=datetime.date(2025, 2, 1),
        value=Decimal("3"),
        note=NAME,
        recorded_by=person,
    )
    Attachment.objects.create(
        enquiry=enquiry,
        title=f"{NAME}'s evidence",
        file=ContentFile(f"Evidence gathered by {NAME}, {EMAIL}".encode(), name="evidence.txt"),
        file_name="evidence.txt",
        uploaded_by=person,
    )
    Account.objects.create(
        enquiry=enquiry,
        title="Modelling drafts",
        question="Does modelling help?",
        what_we_tried="Modelling",
        what_we_learned=f"{NAME} found it does",
        written_by=person,
    )

    # Colleagues' words that mention them, in records that do not refer to them.
    Note.objects.create(
        activity=activity, author=other, body=f"Thanks @{USERNAME}! {NAME} led this well."
    )
    add_resource(
        world.network,
        by=other,
        title="Fraction walls, adapted",
        summary=f"Adapted from the walls {NAME} made.",
    )
    thread = discussion_services.start_thread(
        space=staff_space(world, by=other),
        by=other,
        title=f"Who has {NAME}'s slides?",
        body=f"Ask {USERNAME} or write to {EMAIL}.",
    )
    # A file they put on a colleague's post.
    PostAttachment.objects.create(
        post=thread.posts.get(),
        file=ContentFile(f"Slides by {NAME}".encode(), name="slides.txt"),
        original_name="slides.txt",
        content_type="text/plain",
        type_label="Text",
        size=len(f"Slides by {NAME}"),
        sha256="0" * 64,
        uploaded_by=person,
    )

    # The admin's history names people in its text.
    LogEntry.objects.create(
        user=world.admin,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    role = NetworkRole.objects.filter(person=person).first()
    LogEntry.objects.create(
        user=world.admin,
        content_type=ContentType.objects.get_for_model(NetworkRole),
        object_id=str(role.pk),
        object_repr=str(role),
        action_flag=CHANGE,
        change_message="[]",
    )
    return {"activity": activity, "resource": resource, "enquiry": enquiry, "charter": charter}
