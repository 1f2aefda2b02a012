"""The demo's professional learning, shaped like the practices in
docs/seed-practices.md#professional-learning:

- Bransholme's co-operative learning in three waves: the group that wrote it coaches the first
  wave's schools, teachers of the first wave's schools coach the second, and teachers trained in
  the second coach the high school in the third (#waves-of-coaching);
- Tweedmouth's "Leading from the classroom": the lead learners first, then class teachers coached
  by them;
- Janus's programme in the leadership of change: the heads first, then the development groups'
  teachers, coached by the heads;
- Network A's middle leaders course: a cohort from four schools, registers, completion, and the
  colleagues its participants trained in their own and partner schools (#courses-and-cascade),
  and its two coaches cascading the VLE and primary languages to a partner primary each;
- SEEVEAZ's pairings of a school that is doing well with one in difficulty, mentors for two new
  heads, and one new head's induction (#support-between-schools, #induction).

`load(*, admin)` leaves each part alone once it exists; everything is written through the
services, as each network's co-leader would write it.
"""

import datetime

from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.services import create_person
from netlearn.activities import selectors as activity_selectors
from netlearn.activities import services as activity_services
from netlearn.networks import selectors as network_selectors
from netlearn.networks import services as network_services
from netlearn.networks.demo import EMAIL_DOMAIN, PASSWORD
from netlearn.networks.models import GroupKind, PostLevel, Role

from . import services
from .models import Course, LearningProgramme, RelationshipKind, SupportRelationship, WavePlace

D = datetime.date


def _network(slug):
    network = network_selectors.network_with_slug(slug=slug)
    lead = network and network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)
    return network, lead


def _school(network, prefix):
    return (
        network_selectors.schools_in_network(network=network)
        .filter(name__startswith=prefix)
        .first()
    )


def _head(school):
    post = network_selectors.lead_posts_of_schools(schools=[school]).first()
    return post.person if post else None


def _person(username, name, school, job_title, *, level=PostLevel.TEACHER, bio=""):
    found = account_selectors.people_with_usernames([username]).first()
    if found is not None:
        return found
    person = create_person(
        username=username,
        name=name,
        email=f"{username}@{EMAIL_DOMAIN}",
        password=PASSWORD,
        bio=bio,
        is_demo=True,
    )
    network_services.add_staff_post(person=person, school=school, job_title=job_title, level=level)
    return person


def _at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour))


def _exists(network, title) -> bool:
    return LearningProgramme.objects.filter(network=network, title=title).exists()


def _bransholme() -> None:
    network, lead = _network("bransholme")
    title = "Co-operative learning"
    if network is None or lead is None or _exists(network, title):
        return
    programme = services.create_programme(
        network=network,
        title=title,
        description=(
            "The network's own co-operative learning programme, spread school by school: each "
            "wave's coaches learned it in the wave before, and the group that wrote it goes on "
            "supporting them."
        ),
        by=lead,
    )
    coach_roles = [
        role
        for role in network_selectors.current_roles(network=network).filter(role=Role.COACH)
        if role.school_id and role.started
    ]
    first_roles = [r for r in coach_roles if r.started.year == 2003]
    second_roles = [r for r in coach_roles if r.started.year == 2004]
    wave1_schools = list({r.school_id: r.school for r in first_roles}.values())
    wave2_schools = list({r.school_id: r.school for r in second_roles}.values())
    # The coaches' own schools ran the programme before any wave (they wrote it).
    covered = {s.pk for s in wave1_schools + wave2_schools}
    high = _school(network, "Carrside")
    wave1 = services.start_wave(
        programme=programme,
        starts_on=D(2003, 9, 1),
        ends_on=D(2004, 7, 16),
        schools=wave1_schools,
        audience="Class teachers of the first partner schools",
        by=lead,
    )
    for role in first_roles:
        services.add_coach(wave=wave1, person=role.person, school=role.school, by=lead)
    # Wave 2's coaches were the key teachers the first wave trained.
    for role in second_roles:
        home = network_selectors.home_schools(network=network, person_ids=[role.person_id])
        school = network_selectors.schools_by_id([home[role.person_id]])[home[role.person_id]]
        place = services.add_trainee(wave=wave1, person=role.person, school=school, by=lead)
        services.complete_place(place=place, on=D(2004, 7, 16), by=lead)
    wave2 = services.start_wave(
        programme=programme,
        starts_on=D(2004, 9, 1),
        ends_on=D(2005, 7, 15),
        schools=wave2_schools,
        audience="Class teachers of the second wave's schools",
        by=lead,
    )
    for role in second_roles:
        services.add_coach(wave=wave2, person=role.person, school=role.school, by=lead)
    names = ["Gemma Rowntree", "Aaron Fewster", "Leanne Cawood"]
    trained = []
    for name, school in zip(names, wave2_schools, strict=False):
        username = "brans." + name.lower().replace(" ", ".")
        person = _person(
            username,
            name,
            school,
            "Class teacher, co-operative learning coach",
            bio="Learned co-operative learning in the second wave; coaches the high school now.",
        )
        place = services.add_trainee(wave=wave2, person=person, school=school, by=lead)
        services.complete_place(place=place, on=D(2005, 7, 15), by=lead)
        trained.append(person)
    if high is None or high.pk in covered:
        return
    wave3 = services.start_wave(
        programme=programme,
        starts_on=D(2005, 9, 1),
        ends_on=D(2006, 7, 14),
        schools=[high],
        audience="Year 7 teachers of the high school",
        by=lead,
    )
    head_of_english = (
        network_selectors.current_posts_at_school(school_id=high.pk)
        .filter(leads_school=False, job_title="Head of English")
        .select_related("person")
        .first()
    )
    for coach in trained:
        services.add_coach(wave=wave3, person=coach, school=high, by=lead)
    if head_of_english is not None:
        learner = head_of_english.person
        services.add_trainee(wave=wave3, person=learner, school=high, by=lead)
        relationship = services.create_relationship(
            network=network,
            kind=RelationshipKind.COACHING,
            supporter=trained[0],
            supported=learner,
            supporting_school=wave2_schools[0],
            supported_school=high,
            purpose="Co-operative learning in Year 7 English, so that pupils from the estate's "
            "primaries meet the same approach at the high school.",
            starts_on=D(2005, 9, 1),
            ends_on=D(2006, 7, 14),
            by=lead,
        )
        services.log_session(
            relationship=relationship,
            title="Co-operative learning: planning Year 7 groups",
            starts_at=_at(D(2005, 9, 21)),
            ends_at=_at(D(2005, 9, 21), 17),
            by=lead,
            notify=False,
        )
    services.add_wave_session(
        wave=wave3,
        title="Wave 3 coaches meet the development group",
        starts_at=_at(D(2005, 10, 5)),
        ends_at=_at(D(2005, 10, 5), 18),
        by=lead,
        notify=False,
    )


def _two_waves(slug, title, description, first, second) -> None:
    """A programme run first for one group (who complete it) and then for another, coached by
    the first."""
    network, lead = _network(slug)
    if network is None or lead is None or _exists(network, title):
        return
    programme = services.create_programme(
        network=network, title=title, description=description, by=lead
    )
    schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
    (audience1, people1, dates1), (audience2, people2, dates2) = first, second
    wave1 = services.start_wave(
        programme=programme,
        starts_on=dates1[0],
        ends_on=dates1[1],
        schools=schools,
        audience=audience1,
        by=lead,
    )
    home = network_selectors.home_schools(
        network=network, person_ids=[p.pk for p in people1 + people2]
    )
    by_id = network_selectors.schools_by_id(set(home.values()))
    for person in people1:
        if person.pk not in home:
            continue
        place = services.add_trainee(
            wave=wave1, person=person, school=by_id[home[person.pk]], by=lead
        )
        services.complete_place(place=place, on=dates1[1], by=lead)
    wave2 = services.start_wave(
        programme=programme,
        starts_on=dates2[0],
        ends_on=dates2[1],
        schools=schools,
        audience=audience2,
        by=lead,
    )
    for person in people1[:3]:
        if WavePlace.objects.filter(wave=wave1, person=person).exists():
            services.add_coach(wave=wave2, person=person, by=lead)
    for person in people2:
        if person.pk in home and not WavePlace.objects.filter(wave=wave2, person=person).exists():
            services.add_trainee(wave=wave2, person=person, school=by_id[home[person.pk]], by=lead)


def _tweedmouth() -> None:
    network, _ = _network("tweedmouth")
    if network is None:
        return
    roles = network_selectors.current_roles(network=network)
    lead_learners = [r.person for r in roles.filter(role=Role.CO_ORDINATOR)]
    teachers = [
        post.person
        for post in network_selectors.lead_posts_of_schools(
            schools=network_selectors.schools_in_network(network=network)
        )
    ]
    _two_waves(
        "tweedmouth",
        "Leading from the classroom",
        "The lead learners' own programme: leading change from one's own classroom, beyond it "
        "and across the three tiers of schools. They took it first, then led it for others.",
        ("Lead learners", lead_learners, (D(2003, 9, 1), D(2004, 3, 31))),
        ("Heads and class teachers", teachers[:4], (D(2004, 4, 19), D(2004, 12, 17))),
    )


def _janus() -> None:
    network, _ = _network("janus")
    if network is None:
        return
    heads = [
        post.person
        for post in network_selectors.lead_posts_of_schools(
            schools=network_selectors.schools_in_network(network=network)
        )
    ]
    activists = []
    for group in network_selectors.groups_of(network=network).filter(kind=GroupKind.DEVELOPMENT):
        for member in network_selectors.members_of_group(group=group):
            if member.person is not None and member.person not in activists + heads:
                activists.append(member.person)
    _two_waves(
        "janus",
        "Leading change",
        "A programme in the leadership of change: the heads took it first, then built the same "
        "programme for the two development groups' teachers, so that they could lead change in "
        "their own schools.",
        ("Headteachers", heads, (D(2003, 1, 6), D(2003, 7, 18))),
        ("The development groups' teachers", activists, (D(2003, 9, 8), D(2004, 3, 26))),
    )


def _network_a() -> None:
    network, lead = _network("network-a")
    title = "Middle leaders programme"
    if (
        network is None
        or lead is None
        or Course.objects.filter(network=network, title=title).exists()
    ):
        return
    schools = list(network_selectors.schools_in_network(network=network).order_by("name"))[:5]
    if len(schools) < 5:
        return
    course = services.create_course(
        network=network,
        title=title,
        description=(
            "The network's own programme for middle leaders, modelled on the national one: three "
            "twilight sessions, then each participant trains colleagues in their own and partner "
            "schools."
        ),
        capacity=8,
        places_per_school=2,
        modules=["Leading a team's learning", "Using data in a department", "Coaching colleagues"],
        by=lead,
    )
    people = [
        ("Rachel Oduya", 0),
        ("Tom Kettering", 0),
        ("Imogen Sallis", 1),
        ("Dev Malhotra", 2),
        ("Ffion Pryce", 3),
        ("Callum Bright", 3),
    ]
    participants = []
    for name, index in people:
        username = "neta.ml." + name.lower().replace(" ", ".")
        person = _person(
            username,
            name,
            schools[index],
            "Head of department",
            level=PostLevel.MIDDLE,
            bio="On the network's middle leaders programme.",
        )
        services.enrol(course=course, person=person, school=schools[index], by=lead)
        participants.append(person)
    today = timezone.localdate()
    for module, days_ago in zip(course.modules.all(), (100, 70, 40), strict=True):
        day = today - datetime.timedelta(days=days_ago)
        activity = services.schedule_module(
            module=module, starts_at=_at(day), ends_at=_at(day, 18), by=lead, notify=False
        )
        occurrence = activity_selectors.occurrences_of(activity=activity).first()
        # Callum missed the last session: the registers keep him from completing.
        present = [
            p.pk for p in participants if not (p.username.endswith("bright") and days_ago == 40)
        ]
        activity_services.take_register(occurrence=occurrence, by=lead, present_ids=present)
    partner = schools[4]
    colleagues = [
        _person(
            "neta.ml.priya.nandra",
            "Priya Nandra",
            partner,
            "Teacher of mathematics",
            bio="Trained by a colleague from the middle leaders programme.",
        ),
        _person(
            "neta.ml.owen.hales",
            "Owen Hales",
            partner,
            "Teacher of science",
            bio="Trained by a colleague from the middle leaders programme.",
        ),
    ]
    trainer = course.enrolments.get(person=participants[0])
    for colleague in colleagues:
        services.record_cascade(
            enrolment=trainer,
            colleague=colleague,
            school=partner,
            trained_on=today - datetime.timedelta(days=20),
            what="Coaching conversations with a department",
            by=participants[0],
        )
    own = course.enrolments.get(person=participants[2])
    services.record_cascade(
        enrolment=own,
        colleague=_person(
            "neta.ml.jo.barraclough",
            "Jo Barraclough",
            schools[1],
            "Teacher of English",
            bio="Trained by a colleague from the middle leaders programme.",
        ),
        school=schools[1],
        trained_on=today - datetime.timedelta(days=10),
        what="Using data in a department",
        by=participants[2],
    )


def _network_a_coaching() -> None:
    """Network A's two coaches cascade what they know to a partner primary each: the facts that
    were notes on their roles, as coaching relationships."""
    network, lead = _network("network-a")
    if (
        network is None
        or lead is None
        or SupportRelationship.objects.filter(
            network=network, kind=RelationshipKind.COACHING
        ).exists()
    ):
        return
    coaches = {
        role.school.name.split(" ")[0]: role.person
        for role in network_selectors.current_roles(network=network)
        .filter(role=Role.COACH, school__isnull=False)
        .select_related("school", "person")
    }
    pairs = [
        (
            "Cressbrook",
            "Linnet Lane",
            "Cascades the network's VLE training: trains the school's staff, who train "
            "colleagues in turn.",
        ),
        (
            "Wolds",
            "Ashby Wold",
            "Cascades the primary languages training: teaches French alongside the school's "
            "teachers until they teach it themselves, with the resources on the VLE.",
        ),
    ]
    for coach_school, coached_name, purpose in pairs:
        coach, coached_school = coaches.get(coach_school), _school(network, coached_name)
        coachee = coached_school and _head(coached_school)
        if coach is None or coachee is None:
            continue
        services.create_relationship(
            network=network,
            kind=RelationshipKind.COACHING,
            supporter=coach,
            supported=coachee,
            supported_school=coached_school,
            purpose=purpose,
            starts_on=D(2005, 9, 1),
            by=lead,
        )


def _seeveaz() -> None:
    network, lead = _network("seeveaz")
    if (
        network is None
        or lead is None
        or SupportRelationship.objects.filter(network=network).exists()
    ):
        return
    pairs = [("Weald Oak", "Estuary View"), ("Beacon Heath", "Marshgate")]
    for supporting_name, supported_name in pairs:
        supporting, supported = _school(network, supporting_name), _school(network, supported_name)
        if supporting is None or supported is None:
            continue
        mentor, new_head = _head(supporting), _head(supported)
        if mentor is None or new_head is None:
            continue
        services.create_relationship(
            network=network,
            kind=RelationshipKind.SCHOOL_SUPPORT,
            supporter=mentor,
            supported=new_head,
            supporting_school=supporting,
            supported_school=supported,
            purpose="A school doing well works alongside one in difficult circumstances, as "
            "equals: joint staff meetings, shared planning and visits both ways.",
            starts_on=D(2002, 9, 2),
            by=lead,
        )
        services.create_relationship(
            network=network,
            kind=RelationshipKind.MENTORING,
            supporter=mentor,
            supported=new_head,
            supporting_school=supporting,
            supported_school=supported,
            purpose=f"Mentors the new head of {supported.name} through the first year in post.",
            starts_on=D(2002, 9, 2),
            ends_on=D(2003, 7, 18),
            by=lead,
        )
    supported = _school(network, "Estuary View")
    mentor_school = _school(network, "Weald Oak")
    if supported is None or mentor_school is None:
        return
    services.set_induction_steps(
        network=network,
        steps=[
            "Meet the zone's director and both co-leaders",
            "Read the network's charter and what each school committed to",
            "Visit the partner school with the mentor",
            "Come to the headteachers' forum",
            "Agree with the mentor what the school brings to the zone and what it needs",
        ],
        by=lead,
    )
    plan = services.start_induction(
        network=network,
        kind="new_head",
        newcomer=_head(supported),
        school=supported,
        mentor=_head(mentor_school),
        by=lead,
    )
    for task in list(plan.tasks.all())[:3]:
        services.tick(task=task, by=lead)
    day = timezone.localdate() + datetime.timedelta(days=9)
    services.add_first_meeting(
        plan=plan,
        title="First mentoring meeting",
        starts_at=_at(day),
        ends_at=_at(day, 17),
        by=lead,
        notify=False,
    )


def load(*, admin) -> None:
    _bransholme()
    _tweedmouth()
    _janus()
    _network_a()
    _network_a_coaching()
    _seeveaz()
