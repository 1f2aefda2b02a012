"""A synthetic national programme for bench/pages.py, written with bulk_create (a fixture, not
the product's services): networks of schools, their staff, roles with history, groups, one
discussion thread per network of THREAD_POSTS posts, and per network a charter (FOCI learning
foci, each with two goals and their progress, three commitments), ACTIVITIES activities on the
calendar (a third tied to a focus), and RESOURCES library resources (a third filed under a focus,
a third about reading), indexed for search as `netlearn reindex` does. No impact data: the
impact overview is timed as a network without outcome data sees it.

Proportions: about 10 schools per network (3 to 16+), about 20 staff per school (primaries
smaller, secondaries larger), one external partner per network, about 10 current roles and 2
past ones per network, 8 groups per network, a third of people with expertise tags; 5% of schools
in a second network, 2% with a past membership, 3% of staff with a second post, 5% with a past one.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from netlearn.accounts.models import Expertise, Kind, PartnerOrganisation, Person
from netlearn.activities.models import VISIT_KINDS, Activity, Occurrence
from netlearn.activities.models import Kind as ActivityKind
from netlearn.charter.models import Charter, Commitment, Goal, LearningFocus, ProgressEntry
from netlearn.discussions.models import Post, Space, Thread
from netlearn.library.models import Resource, Stage, Subject, join_codes
from netlearn.networks.models import (
    Country,
    Group,
    GroupKind,
    GroupMember,
    Network,
    NetworkKind,
    NetworkMembership,
    NetworkRole,
    Phase,
    PostLevel,
    Role,
    School,
    Setting,
    StaffPost,
)

PASSWORD = "bench-pages-password"
BATCH = 2000
# A lively thread: more posts than a page holds (settings.PAGE_SIZE, 50).
THREAD_POSTS = 120
FOCI = 3
ACTIVITIES = 8
RESOURCES = 12


@dataclass(frozen=True)
class Scale:
    networks: int
    schools: int
    people: int


SCALES = {
    "small": Scale(networks=20, schools=200, people=4_000),
    "national": Scale(networks=500, schools=5_000, people=100_000),
}


@dataclass
class Dataset:
    """What the load needs to know about the data it built."""

    counts: dict[str, int]
    # slug -> the co-leader account that signs in for that network
    leaders: dict[str, str]
    # slug -> ids of the network's groups
    groups: dict[str, list[int]]
    # slug -> number of people in the network's directory (current posts or roles)
    directory_size: dict[str, int]
    # group id -> number of members, and its kind
    group_size: dict[int, int] = field(default_factory=dict)
    group_kind: dict[int, str] = field(default_factory=dict)
    # slug -> id of the network's discussion thread (THREAD_POSTS posts, from its staff)
    threads: dict[str, int] = field(default_factory=dict)
    # slug -> id of the network's first learning focus (its golden thread page)
    foci: dict[str, int] = field(default_factory=dict)


PHASE_WEIGHTS = [
    (Phase.PRIMARY, 62, 14),
    (Phase.INFANT, 5, 10),
    (Phase.JUNIOR, 5, 12),
    (Phase.SECONDARY, 20, 55),
    (Phase.ALL_THROUGH, 2, 70),
    (Phase.SPECIAL, 4, 25),
    (Phase.COLLEGE, 2, 60),
]
AUTHORITIES = [
    "Camden", "Derbyshire", "Leeds", "Cornwall", "Kent", "Birmingham", "Cumbria", "Norfolk",
    "Bristol", "Newcastle upon Tyne", "Lancashire", "Essex", "Hackney", "Sheffield", "Devon",
    "Suffolk", "Manchester", "Liverpool", "Nottinghamshire", "Wiltshire",
]  # fmt: skip
NZ_REGIONS = ["Auckland", "Waikato", "Wellington", "Canterbury", "Otago", "Northland"]
PLACES = [
    "Ashdown", "Beckford", "Carrow", "Dunmore", "Elmfield", "Fairholme", "Greystone", "Hollins",
    "Ivybridge", "Juniper", "Kingsmead", "Larkrise", "Millbrook", "Northgate", "Oakwood",
    "Pennine", "Queensway", "Riverside", "Stanton", "Thornbury", "Upton", "Valley", "Westfield",
    "Yardley",
]  # fmt: skip
SUFFIXES = {
    Phase.PRIMARY: "Primary School",
    Phase.INFANT: "Infant School",
    Phase.JUNIOR: "Junior School",
    Phase.SECONDARY: "Academy",
    Phase.ALL_THROUGH: "All-through School",
    Phase.SPECIAL: "Special School",
    Phase.COLLEGE: "College",
}
FIRST = [
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Kiri",
    "Leo", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sam", "Tama", "Uma", "Vik",
    "Wiremu", "Zara",
]  # fmt: skip
LAST = [
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Ngata", "Owen", "Patel", "Rees", "Smith", "Taylor", "Walker",
    "Williams", "Young",
]  # fmt: skip
EXPERTISE = [
    "Phonics", "Reading for pleasure", "Oracy", "Maths mastery", "Science enquiry", "SEND",
    "EAL", "Assessment for learning", "Metacognition", "Outdoor learning", "Te reo Māori",
    "Computing", "Music", "Art", "PE", "History", "Geography", "Languages", "Behaviour",
    "Attendance", "Coaching", "Lesson study", "Transition", "Early years", "Pupil voice",
    "Parental engagement", "Curriculum design", "Data", "Wellbeing", "Leadership",
]  # fmt: skip
TOPICS = [
    "Reading for pleasure", "Assessment for learning", "Outdoor learning", "Oracy project",
    "Maths mastery", "Transition Y6–Y7", "Wellbeing", "Inclusion",
]  # fmt: skip
JOB_TITLES = {
    PostLevel.HEAD: "Headteacher",
    PostLevel.SENIOR: "Deputy headteacher",
    PostLevel.MIDDLE: "Subject leader",
    PostLevel.TEACHER: "Class teacher",
    PostLevel.SUPPORT: "Teaching assistant",
    PostLevel.GOVERNOR: "Governor",
}


def _split(total: int, parts: int, rng: random.Random, low: float, high: float) -> list[int]:
    """`total` split into `parts` positive whole numbers with random weights in [low, high]."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, int(weight * scale)) for weight in weights]
    index = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        if step > 0 or sizes[index % parts] > 1:
            sizes[index % parts] += step
        index += 1
    return sizes


def _level(rank: int, size: int) -> PostLevel:
    """A school's staff by rank: one head, ~10% senior, ~15% middle, then teachers and support."""
    if rank == 0:
        return PostLevel.HEAD
    share = rank / size
    if share < 0.1:
        return PostLevel.SENIOR
    if share < 0.25:
        return PostLevel.MIDDLE
    if share < 0.8:
        return PostLevel.TEACHER
    if share < 0.97:
        return PostLevel.SUPPORT
    return PostLevel.GOVERNOR


def _bulk(model, rows) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH)


def build(scale: Scale, *, seed: int = 2024) -> Dataset:
    """Fills an empty, migrated database. Explicit primary keys keep the bulk inserts cheap."""
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    long_ago = today - datetime.timedelta(days=5 * 365)
    password = make_password(PASSWORD)

    with transaction.atomic():
        _bulk(Expertise, [Expertise(pk=i + 1, name=name) for i, name in enumerate(EXPERTISE)])

        # Networks: one in ten in New Zealand.
        network_sizes = _split(scale.schools, scale.networks, rng, 0.3, 1.7)
        kinds = [kind for kind in NetworkKind if kind != NetworkKind.OTHER]
        networks = []
        for i in range(scale.networks):
            nz = i % 10 == 9
            networks.append(
                Network(
                    pk=i + 1,
                    name=f"{rng.choice(PLACES)} {'Kāhui Ako' if nz else 'Network'} {i + 1}",
                    slug=f"net-{i + 1}",
                    kind=NetworkKind.KAHUI_AKO if nz else rng.choice(kinds),
                    country=Country.NEW_ZEALAND if nz else Country.ENGLAND,
                    description="A network of schools learning together. " * rng.randint(1, 4),
                    founded=long_ago + datetime.timedelta(days=rng.randint(0, 1500)),
                )
            )
        _bulk(Network, networks)

        # Schools, dealt out to networks in consecutive runs.
        school_network: dict[int, Network] = {}
        school_id = 0
        for network, size in zip(networks, network_sizes, strict=True):
            for _ in range(size):
                school_id += 1
                school_network[school_id] = network
        schools, staff_weight = [], []
        phases = [phase for phase, _, _ in PHASE_WEIGHTS]
        phase_weights = [weight for _, weight, _ in PHASE_WEIGHTS]
        typical_staff = {phase: staff for phase, _, staff in PHASE_WEIGHTS}
        for sid in range(1, scale.schools + 1):
            nz = school_network[sid].country == Country.NEW_ZEALAND
            phase = rng.choices(phases, phase_weights)[0]
            schools.append(
                School(
                    pk=sid,
                    name=f"{rng.choice(PLACES)} {SUFFIXES[phase]} {sid}",
                    country=Country.NEW_ZEALAND if nz else Country.ENGLAND,
                    reference=str((10000 if nz else 100000) + sid),
                    phase=phase,
                    establishment_type="State school"
                    if nz
                    else rng.choice(
                        ["Community school", "Academy converter", "Voluntary aided school"]
                    ),
                    authority=rng.choice(NZ_REGIONS if nz else AUTHORITIES),
                    setting=rng.choice([Setting.URBAN, Setting.URBAN, Setting.RURAL]),
                    roll=typical_staff[phase] * rng.randint(12, 20),
                    fsm_percent=None if nz else Decimal(rng.randint(20, 600)) / 10,
                    equity_index=rng.randint(350, 550) if nz else None,
                    sen_percent=Decimal(rng.randint(30, 300)) / 10,
                )
            )
            staff_weight.append(typical_staff[phase] * rng.uniform(0.7, 1.3))
        _bulk(School, schools)

        # Memberships: every school in its network, 5% also in another, 2% with a past one.
        memberships = []
        # A network's own schools first, then those that also joined it lately.
        members_of: dict[int, list[int]] = {network.pk: [] for network in networks}
        joined_later: list[tuple[int, int]] = []
        for sid, network in school_network.items():
            memberships.append(
                NetworkMembership(
                    network=network,
                    school_id=sid,
                    joined=network.founded + datetime.timedelta(days=rng.randint(0, 300)),
                )
            )
            members_of[network.pk].append(sid)
            draw = rng.random()
            if draw < 0.07 and scale.networks > 1:
                other = networks[rng.randrange(scale.networks)]
                if other.pk != network.pk:
                    if draw < 0.05:
                        memberships.append(
                            NetworkMembership(network=other, school_id=sid, joined=today)
                        )
                        joined_later.append((other.pk, sid))
                    else:
                        memberships.append(
                            NetworkMembership(
                                network=other,
                                school_id=sid,
                                joined=long_ago,
                                left=long_ago + datetime.timedelta(days=700),
                            )
                        )
        for network_id, sid in joined_later:
            members_of[network_id].append(sid)
        _bulk(NetworkMembership, memberships)

        # People: one partner per network, the rest staff dealt to schools by staff weight.
        partners = scale.networks
        staff_sizes = [
            max(3, round(w * (scale.people - partners) / sum(staff_weight))) for w in staff_weight
        ]
        surplus, index = sum(staff_sizes) - (scale.people - partners), 0
        while surplus:
            # Rounding and the minimum of 3 leave a few too many or too few: spread the fix.
            step = 1 if surplus > 0 else -1
            if step < 0 or staff_sizes[index % len(staff_sizes)] > 3:
                staff_sizes[index % len(staff_sizes)] -= step
                surplus -= step
            index += 1
        people, posts, expertise_links = [], [], []
        staff_of: dict[int, list[tuple[int, PostLevel]]] = {}
        pid = 0

        def person(kind=Kind.STAFF, **extra):
            nonlocal pid
            pid += 1
            people.append(
                Person(
                    pk=pid,
                    username=f"u{pid}",
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    email=f"u{pid}@bench.example.org",
                    password=password,
                    kind=kind,
                    bio="Teaches and learns with colleagues." if rng.random() < 0.3 else "",
                    date_joined=now,
                    **extra,
                )
            )
            if rng.random() < 0.33:
                for tag in rng.sample(range(1, len(EXPERTISE) + 1), rng.randint(1, 3)):
                    expertise_links.append(
                        Person.expertise.through(person_id=pid, expertise_id=tag)
                    )
            return pid

        for sid, size in zip(range(1, scale.schools + 1), staff_sizes, strict=True):
            staff = []
            for rank in range(size):
                level = _level(rank, size)
                new = person()
                posts.append(
                    StaffPost(
                        person_id=new,
                        school_id=sid,
                        job_title=JOB_TITLES[level],
                        level=level,
                        leads_school=level == PostLevel.HEAD,
                        started=long_ago + datetime.timedelta(days=rng.randint(0, 1700)),
                    )
                )
                staff.append((new, level))
            staff_of[sid] = staff
        leaders: dict[str, str] = {}
        partner_of: dict[int, int] = {}
        for network in networks:
            partner_of[network.pk] = person(
                kind=Kind.PARTNER,
                organisation=PartnerOrganisation.UNIVERSITY,
                organisation_name="University of Benchmarks",
            )
        # The designated co-leader of each network (the head of its first school) signs in.
        for network in networks:
            head = staff_of[members_of[network.pk][0]][0][0]
            people[head - 1].username = f"lead-{network.slug}"
            leaders[network.slug] = people[head - 1].username
        _bulk(Person, people)
        Person.expertise.through.objects.bulk_create(expertise_links, batch_size=BATCH)

        # Second posts (3%) and past posts (5%).
        for sid in range(1, scale.schools + 1):
            for staff_pid, _ in staff_of[sid]:
                draw = rng.random()
                other = rng.choice(members_of[school_network[sid].pk])
                if draw < 0.03 and other != sid:
                    posts.append(
                        StaffPost(
                            person_id=staff_pid,
                            school_id=other,
                            job_title="Specialist leader of education",
                            level=PostLevel.MIDDLE,
                            started=today - datetime.timedelta(days=rng.randint(0, 500)),
                        )
                    )
                elif draw < 0.08:
                    posts.append(
                        StaffPost(
                            person_id=staff_pid,
                            school_id=rng.randint(1, scale.schools),
                            job_title="Class teacher",
                            level=PostLevel.TEACHER,
                            started=long_ago - datetime.timedelta(days=900),
                            ended=long_ago,
                        )
                    )
        _bulk(StaffPost, posts)

        # Roles and groups, network by network.
        roles, groups, group_members = [], [], []
        group_ids: dict[str, list[int]] = {}
        group_size: dict[int, int] = {}
        group_kind: dict[int, str] = {}
        directory_size: dict[str, int] = {}
        gid = 0
        for network in networks:
            school_ids = members_of[network.pk]
            staff = [(p, lvl, sid) for sid in school_ids for p, lvl in staff_of[sid]]
            heads = [staff_of[sid][0][0] for sid in school_ids]
            by_level: dict[str, list[tuple[int, int]]] = {}
            for p, lvl, sid in staff:
                by_level.setdefault(lvl, []).append((p, sid))

            def pick(levels, count, by_level=by_level):
                pool = [ps for lvl in levels for ps in by_level.get(lvl, [])]
                return rng.sample(pool, min(count, len(pool)))

            held = []  # (person, role, school)
            held.append((heads[0], Role.CO_LEADER, school_ids[0]))
            if len(heads) > 1:
                held.append((heads[1], Role.CO_LEADER, school_ids[1]))
            for p, sid in pick([PostLevel.SENIOR, PostLevel.MIDDLE], 1):
                held.append((p, Role.CO_ORDINATOR, sid))
            held.append((partner_of[network.pk], Role.FACILITATOR, None))
            for role in (Role.COACH, Role.MENTOR):
                for p, sid in pick([PostLevel.TEACHER, PostLevel.MIDDLE], 1):
                    held.append((p, role, sid))
            for p, sid in pick([PostLevel.TEACHER], rng.randint(2, 4)):
                held.append((p, Role.TEACHER_RESEARCHER, sid))
            if network.country == Country.NEW_ZEALAND or rng.random() < 0.3:
                for p, sid in pick([PostLevel.TEACHER], 1):
                    held.append((p, Role.ACROSS_COMMUNITY_TEACHER, sid))
            for p, role, sid in held:
                roles.append(
                    NetworkRole(
                        network=network,
                        person_id=p,
                        role=role,
                        school_id=sid,
                        started=network.founded + datetime.timedelta(days=rng.randint(0, 400)),
                    )
                )
            for p, sid in pick([PostLevel.TEACHER, PostLevel.MIDDLE], 2):
                # Past roles: the history on the roles page.
                roles.append(
                    NetworkRole(
                        network=network,
                        person_id=p,
                        role=rng.choice([Role.CO_ORDINATOR, Role.TEACHER_RESEARCHER]),
                        school_id=sid,
                        started=network.founded,
                        ended=network.founded + datetime.timedelta(days=365),
                    )
                )
            directory = {p for p, _, _ in staff} | {p for p, _, _ in held}
            directory_size[network.slug] = len(directory)

            teachers = [PostLevel.TEACHER, PostLevel.MIDDLE, PostLevel.SENIOR]
            role_holders = [p for p, role, _ in held if role != Role.CO_LEADER]
            plans: list[tuple[str, str, list[tuple[int | None, int | None, str]]]] = [
                ("Headteachers", GroupKind.HEADTEACHER, [(p, None, "") for p in heads]),
                (
                    "Steering group",
                    GroupKind.STEERING,
                    [(p, None, PostLevel.HEAD) for p in heads[:2]]
                    + [
                        (p, None, lvl)
                        for lvl in (
                            PostLevel.SENIOR,
                            PostLevel.MIDDLE,
                            PostLevel.TEACHER,
                            PostLevel.GOVERNOR,
                        )
                        for p, _ in pick([lvl], 1)
                    ],
                ),
                (
                    "Lead learners",
                    GroupKind.LEAD_LEARNERS,
                    [(p, None, "") for p in role_holders]
                    + [(p, None, "") for p, _ in pick([PostLevel.MIDDLE], len(school_ids))],
                ),
            ]
            for topic in rng.sample(TOPICS, 3):
                plans.append(
                    (
                        topic,
                        GroupKind.DEVELOPMENT,
                        [(p, None, "") for p, _ in pick(teachers, rng.randint(6, 20))],
                    )
                )
            triad, seen = [], set()
            for p, _, sid in rng.sample(staff, len(staff)):
                if sid not in seen and len(triad) < 3:
                    triad.append((p, None, ""))
                    seen.add(sid)
            plans.append(("Triad A", GroupKind.TRIAD, triad))
            plans.append(
                (
                    "Rural schools",
                    GroupKind.SCHOOL_SUBGROUP,
                    [(None, sid, "") for sid in rng.sample(school_ids, min(4, len(school_ids)))],
                )
            )
            group_ids[network.slug] = []
            for name, kind, members in plans:
                gid += 1
                groups.append(
                    Group(
                        pk=gid,
                        network=network,
                        name=name,
                        kind=kind,
                        purpose=f"{name}: we meet each half-term to plan and review.",
                        created_at=now,
                    )
                )
                group_ids[network.slug].append(gid)
                group_kind[gid] = kind
                unique = {}
                for p, sid, represents in members:
                    unique.setdefault((p, sid), represents)
                group_size[gid] = len(unique)
                for (p, sid), represents in unique.items():
                    group_members.append(
                        GroupMember(
                            group_id=gid,
                            person_id=p,
                            school_id=sid,
                            represents=represents,
                            added_at=now,
                        )
                    )
        _bulk(NetworkRole, roles)
        _bulk(Group, groups)
        _bulk(GroupMember, group_members)

        # One staff space per network with one long thread, written by the network's staff.
        spaces, threads, thread_posts = [], [], []
        thread_ids: dict[str, int] = {}
        for network in networks:
            staff_ids = [p for sid in members_of[network.pk] for p, _ in staff_of[sid]]
            spaces.append(Space(pk=network.pk, network=network, title="Staffroom", created_at=now))
            threads.append(
                Thread(
                    pk=network.pk,
                    space_id=network.pk,
                    title="What worked in reading this term?",
                    author_id=staff_ids[0],
                    created_at=now,
                    last_activity_at=now,
                )
            )
            thread_ids[network.slug] = network.pk
            for number in range(THREAD_POSTS):
                body = f"Post {number + 1}: " + "We tried paired reading with Year 4. " * 3
                thread_posts.append(
                    Post(
                        thread_id=network.pk,
                        author_id=rng.choice(staff_ids),
                        body=body,
                        body_html=f"<p>{body}</p>",
                        created_at=now - datetime.timedelta(minutes=THREAD_POSTS - number),
                    )
                )
        _bulk(Space, spaces)
        _bulk(Thread, threads)
        _bulk(Post, thread_posts)

        focus_ids, extra_counts = _charters_calendars_libraries(
            networks, members_of, staff_of, group_ids, group_kind, rng, now
        )

        if connection.vendor != "sqlite":
            # Explicit keys leave PostgreSQL's sequences behind; SQLite follows by itself.
            models = [Expertise, Network, School, Person, Group, Space, Thread]
            models += [Charter, LearningFocus, Goal, Activity, Resource]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)

    counts = {
        "networks": len(networks),
        "schools": len(schools),
        "memberships": len(memberships),
        "people": len(people),
        "staff_posts": len(posts),
        "roles": len(roles),
        "groups": len(groups),
        "group_members": len(group_members),
        "expertise_links": len(expertise_links),
        "discussion_posts": len(thread_posts),
        **extra_counts,
    }
    # Library search reads its own entries and the embedded index, as after `netlearn reindex`.
    from netlearn.library import indexing

    indexing.reindex_all()
    return Dataset(
        counts=counts,
        leaders=leaders,
        groups=group_ids,
        directory_size=directory_size,
        group_size=group_size,
        group_kind=group_kind,
        threads=thread_ids,
        foci=focus_ids,
    )


def _charters_calendars_libraries(networks, members_of, staff_of, group_ids, group_kind, rng, now):
    """Per network: a charter with foci, goals, progress and commitments; activities with their
    first dates over the coming weeks; library resources. Explicit keys, as above."""
    today = now.date()
    charters, foci, goals, progress, commitments = [], [], [], [], []
    activities, occurrences, resources = [], [], []
    focus_ids: dict[str, int] = {}
    focus_pk = goal_pk = activity_pk = resource_pk = 0
    stages, subjects = list(Stage.values), list(Subject.values)
    for network in networks:
        school_ids = members_of[network.pk]
        head = staff_of[school_ids[0]][0][0]
        staff = [(p, sid) for sid in school_ids for p, _ in staff_of[sid]]
        charters.append(
            Charter(
                pk=network.pk,
                network=network,
                purpose="Every pupil reads widely and well; every teacher learns with colleagues.",
                shared_values="Openness, reciprocity, evidence before opinion.",
                created_at=now,
            )
        )
        development = [g for g in group_ids[network.slug] if group_kind[g] == GroupKind.DEVELOPMENT]
        mine = []
        for position, topic in enumerate(rng.sample(TOPICS, FOCI)):
            focus_pk += 1
            mine.append(focus_pk)
            foci.append(
                LearningFocus(
                    pk=focus_pk,
                    charter_id=network.pk,
                    title=topic,
                    description=f"{topic}: what we will change in classrooms together.",
                    pupils="Years 3 to 6 in all schools",
                    lead_group_id=development[position % len(development)],
                    position=position,
                    created_at=now,
                )
            )
            for measure in ("Pupils at the expected standard", "Pupils reading for pleasure"):
                goal_pk += 1
                goals.append(
                    Goal(
                        pk=goal_pk,
                        focus_id=focus_pk,
                        measure=measure,
                        unit="%",
                        baseline_value=Decimal(rng.randint(40, 60)),
                        baseline_date=today - datetime.timedelta(days=400),
                        target_value=Decimal(rng.randint(65, 85)),
                        target_date=today + datetime.timedelta(days=330),
                        created_at=now,
                    )
                )
                for term in range(3):
                    progress.append(
                        ProgressEntry(
                            goal_id=goal_pk,
                            measured_on=today - datetime.timedelta(days=300 - 100 * term),
                            value=Decimal(rng.randint(45, 75)),
                            note="Teacher assessment, all network schools.",
                            recorded_by_id=head,
                            recorded_at=now,
                        )
                    )
        focus_ids[network.slug] = mine[0]
        for text in (
            "Each school sends two teachers to every learning meeting.",
            "We share what did not work as readily as what did.",
            "Data shared in the network stays in the network.",
        ):
            commitments.append(
                Commitment(charter_id=network.pk, text=text, binds="Every school", created_at=now)
            )
        for number in range(ACTIVITIES):
            activity_pk += 1
            starts = now.replace(hour=15, minute=30, second=0, microsecond=0) + datetime.timedelta(
                days=rng.randint(-20, 40)
            )
            ends = starts + datetime.timedelta(hours=2)
            host = rng.choice(school_ids)
            activities.append(
                Activity(
                    pk=activity_pk,
                    network=network,
                    kind=rng.choice([k for k in ActivityKind if k not in VISIT_KINDS]),
                    title=f"{rng.choice(TOPICS)} meeting {number + 1}",
                    description="We look at pupils' work together and plan the next cycle.",
                    learning_focus_id=mine[number % FOCI] if number % 3 == 0 else None,
                    organiser_id=head,
                    host_school_id=host,
                    place="The library",
                    starts_at=starts,
                    ends_at=ends,
                    created_at=now,
                )
            )
            occurrences.append(
                Occurrence(
                    activity_id=activity_pk, starts_at=starts, ends_at=ends, original_start=starts
                )
            )
        for number in range(RESOURCES):
            resource_pk += 1
            author, sid = rng.choice(staff)
            topic = "Reading" if number % 3 == 0 else rng.choice(TOPICS)
            resources.append(
                Resource(
                    pk=resource_pk,
                    network=network,
                    title=f"{topic}: a sequence of lessons {number + 1}",
                    summary=f"{topic} across a half-term, with pupils' work and what we changed.",
                    stages=join_codes(rng.sample(stages, 1)),
                    subjects=join_codes(rng.sample(subjects, 1)),
                    focus_id=mine[number % FOCI] if number % 3 == 1 else None,
                    tags="reading, planning" if number % 3 == 0 else "planning",
                    author_id=author,
                    school_id=sid,
                    endorsed_at=now if number % 6 == 0 else None,
                    created_at=now,
                )
            )
    _bulk(Charter, charters)
    _bulk(LearningFocus, foci)
    _bulk(Goal, goals)
    _bulk(ProgressEntry, progress)
    _bulk(Commitment, commitments)
    _bulk(Activity, activities)
    _bulk(Occurrence, occurrences)
    _bulk(Resource, resources)
    counts = {
        "learning_foci": len(foci),
        "goals": len(goals),
        "progress_entries": len(progress),
        "activities": len(activities),
        "resources": len(resources),
    }
    return focus_ids, counts
