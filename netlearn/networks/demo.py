"""The seed networks of the demo: fictional networks, schools and people drawn from the seed
documents, built through the services.

`load(admin=…)` is idempotent: a network whose slug already exists is left alone, schools are
found again by (country, reference) in clearly fake ranges (URN 990001+, NZ school number
99001+), people by username. Every row it makes is marked `is_demo`.
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Kind, PartnerOrganisation, Person
from netlearn.accounts.services import create_person
from netlearn.core.money import Currency
from netlearn.networks import services
from netlearn.networks.models import (
    Country,
    Group,
    GroupKind,
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

PASSWORD = "netlearn-demo"
EMAIL_DOMAIN = "demo.example.org"

# Every other app's demo builds on these networks, finding them by slug.
CREATES_NETWORKS = True


# ---------------------------------------------------------------------------------------------
# Names


FIRST_NAMES = (
    "Alison Andrew Angela Anita Barry Bernadette Catherine Claire Colin Daniel Deborah Dev "
    "Eleanor Fatima Fiona Gareth Gillian Graham Hannah Helen Imran Jacqueline James Janet "
    "Jenny Joanne Jonathan Karen Kevin Laura Leanne Lesley Lorraine Mandy Margaret Mark Martin "
    "Michelle Nadia Neil Nicola Owen Pauline Priya Rachel Richard Rosemary Ruth Sally Sanjay "
    "Sarah Sharon Simon Stephen Susan Tariq Tracey Victoria Wendy Yvonne"
).split()
SURNAMES = (
    "Ainsworth Armitage Ashworth Barraclough Bell Birtwistle Bradshaw Brennan Calvert Chaudhry "
    "Cockburn Collier Dalby Dobson Dunmore Eccles Fairbairn Farrow Fenwick Garside Greenhalgh "
    "Hadley Haworth Hepburn Holroyd Hussain Iqbal Jessop Kaur Kershaw Lambton Lister Lockwood "
    "Mallinson Marsden Metcalfe Milburn Nuttall Okafor Ormerod Pattinson Pickering Quinlan "
    "Ramsden Rigby Robson Sheard Singh Sowerby Stainton Sutcliffe Tindall Townend Varley "
    "Wadsworth Whitfield Wilkinson Yates"
).split()
NZ_FIRST_NAMES = (
    "Aroha Hemi Mere Wiremu Ngaire Rāwiri Tama Kiri Anahera Matiu Sione Losa Mele Grace Liam "
    "Olivia Hamish Sophie Fraser Amelia Tom Charlotte Priya Wei Manaia Huia"
).split()
NZ_SURNAMES = [
    "Ngata",
    "Parata",
    "Te Rangi",
    "Horomona",
    "Tipene",
    "Tamihana",
    "Walker",
    "Tuilagi",
    "Taufa",
    "Fifita",
    "Henderson",
    "McKenzie",
    "Gallagher",
    "Thomson",
    "Robertson",
    "Chen",
    "Patel",
    "Campbell",
]


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


class _Namer:
    """Deterministic, realistic, fictional names; no name is used twice in one load."""

    def __init__(self, seed: str, nz: bool, used: set[str]):
        self.rng = random.Random(seed)
        self.first = NZ_FIRST_NAMES if nz else FIRST_NAMES
        self.last = NZ_SURNAMES if nz else SURNAMES
        self.used = used

    def __call__(self) -> str:
        while True:
            name = f"{self.rng.choice(self.first)} {self.rng.choice(self.last)}"
            if name not in self.used:
                self.used.add(name)
                return name


# ---------------------------------------------------------------------------------------------
# Specifications


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    phase: str
    establishment_type: str
    setting: str
    roll: int
    fsm: float | None = None
    sen: float | None = None
    authority: str = ""
    equity_index: int | None = None


def _table(rows: str, authority: str = "", *, new_zealand: bool = False) -> list[SchoolSpec]:
    """Schools as `name | phase | type | setting | roll | FSM % | SEN % [| authority]` rows.

    New Zealand rows carry the Equity Index instead of FSM and SEN:
    `name | phase | type | setting | roll | Equity Index [| region]`. `-` is no value.
    """
    specs = []
    for line in rows.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        name, phase, kind, setting, roll, *rest = cells
        if phase not in Phase.values or setting not in Setting.values:
            raise ValueError(f"Bad phase or setting in demo school row: {line}")
        values = [None if cell == "-" else cell for cell in rest]
        spec = SchoolSpec(name, phase, kind, setting, int(roll), authority=authority)
        if new_zealand:
            eqi, *region = values
            spec = replace(spec, equity_index=None if eqi is None else int(eqi))
        else:
            fsm, sen, *region = values
            spec = replace(
                spec,
                fsm=None if fsm is None else float(fsm),
                sen=None if sen is None else float(sen),
            )
        specs.append(replace(spec, authority=region[0]) if region else spec)
    return specs


@dataclass
class _Builder:
    """Builds one network through the services, as the demo site admin."""

    admin: Person
    network: Network
    prefix: str
    name: _Namer
    rng: random.Random
    schools: list[School] = field(default_factory=list)

    @property
    def founded(self) -> datetime.date:
        return self.network.founded

    # Schools ------------------------------------------------------------------------------

    def add_schools(self, specs: Sequence[SchoolSpec], first_reference: int) -> list[School]:
        for offset, spec in enumerate(specs):
            school, _ = School.objects.get_or_create(
                country=self.network.country,
                reference=str(first_reference + offset),
                defaults={
                    "name": spec.name,
                    "phase": spec.phase,
                    "establishment_type": spec.establishment_type,
                    "authority": spec.authority,
                    "setting": spec.setting,
                    "roll": spec.roll,
                    "fsm_percent": None if spec.fsm is None else Decimal(str(spec.fsm)),
                    "sen_percent": None if spec.sen is None else Decimal(str(spec.sen)),
                    "equity_index": spec.equity_index,
                    "is_demo": True,
                },
            )
            if not NetworkMembership.objects.filter(
                network=self.network, school=school, left__isnull=True
            ).exists():
                services.add_school_to_network(
                    network=self.network, school=school, by=self.admin, joined=self.founded
                )
            self.schools.append(school)
        return self.schools

    # People -------------------------------------------------------------------------------

    def _create(
        self,
        *,
        name: str | None,
        username: str | None,
        kind: str = Kind.STAFF,
        bio: str = "",
        expertise: Iterable[str] = (),
        password: str | None = None,
        **extra,
    ) -> tuple[Person, bool]:
        if name is None:
            name = self.name()
        else:
            self.name.used.add(name)
        if username is None:
            first, *rest = name.split(" ")
            username = f"{self.prefix}.{_ascii_slug(first)}.{_ascii_slug(''.join(rest))}"
        existing = account_selectors.people_with_usernames([username]).first()
        if existing is not None:
            return existing, False
        email = "" if kind == Kind.PUPIL else f"{username}@{EMAIL_DOMAIN}"
        person = create_person(
            username=username,
            name=name,
            kind=kind,
            email=email,
            password=password,
            bio=bio,
            expertise=list(expertise),
            is_demo=True,
            **extra,
        )
        return person, True

    def staff(
        self,
        school: School,
        job_title: str,
        level: str = PostLevel.TEACHER,
        *,
        leads: bool = False,
        name: str | None = None,
        username: str | None = None,
        bio: str = "",
        expertise: Iterable[str] = (),
        password: str | None = None,
    ) -> Person:
        person, created = self._create(
            name=name, username=username, bio=bio, expertise=expertise, password=password
        )
        if created or not StaffPost.objects.current().filter(person=person, school=school).exists():
            years = self.rng.randint(1, 9)
            started = self.founded.replace(year=self.founded.year - years, month=9, day=1)
            services.add_staff_post(
                person=person,
                school=school,
                job_title=job_title,
                level=level,
                leads_school=leads,
                started=started,
                by=self.admin,
            )
        return person

    def head(self, school: School, title: str = "Headteacher", **kwargs) -> Person:
        return self.staff(school, title, PostLevel.HEAD, leads=True, **kwargs)

    def heads(self, title: str = "Headteacher") -> list[Person]:
        return [self.head(school, title) for school in self.schools]

    def partner(
        self,
        organisation: str,
        organisation_name: str,
        bio: str,
        expertise: Iterable[str] = (),
        *,
        name: str | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> Person:
        person, _ = self._create(
            name=name,
            username=username,
            kind=Kind.PARTNER,
            bio=bio,
            expertise=expertise,
            password=password,
            organisation=organisation,
            organisation_name=organisation_name,
        )
        return person

    def pupil(self, school: School, name: str, username: str, password: str) -> Person:
        person, _ = self._create(
            name=name, username=username, kind=Kind.PUPIL, password=password, pupil_school=school
        )
        return person

    # Roles and groups ---------------------------------------------------------------------

    def role(
        self,
        person: Person,
        role: str,
        school: School | None = None,
        *,
        started: datetime.date | None = None,
        note: str = "",
    ) -> NetworkRole:
        existing = NetworkRole.objects.filter(
            network=self.network, person=person, role=role, ended__isnull=True
        ).first()
        if existing is not None:
            return existing
        return services.assign_role(
            network=self.network,
            person=person,
            role=role,
            school=school,
            started=started or self.founded,
            note=note,
            # The demo is a trusted caller: it sets the story's roles directly, where a person
            # giving a sensitive role would need a second person to approve it.
            by=None,
        )

    def co_leaders(self, first: Person, second: Person, note: str = "") -> None:
        """Two co-leaders from different schools (GLOSSARY: co-leaders)."""
        for person in (first, second):
            post = StaffPost.objects.current().filter(person=person).first()
            self.role(person, Role.CO_LEADER, post.school if post else None, note=note)

    def group(
        self,
        name: str,
        kind: str,
        purpose: str,
        people: Iterable[Person] = (),
        schools: Iterable[School] = (),
        represents: Iterable[tuple[Person, str]] = (),
    ) -> Group:
        group = Group.objects.filter(network=self.network, name=name).first()
        if group is None:
            group = services.create_group(
                network=self.network, name=name, kind=kind, purpose=purpose, by=self.admin
            )
        members = [(person, "") for person in people] + list(represents)
        for person, level in members:
            if not group.members.filter(person=person).exists():
                services.add_group_member(
                    group=group, person=person, represents=level, by=self.admin
                )
        for school in schools:
            if not group.members.filter(school=school).exists():
                services.add_group_member(group=group, school=school, by=self.admin)
        return group


# ---------------------------------------------------------------------------------------------
# The networks

SEEVEAZ_SCHOOLS = _table(
    """
Chalkhill Down Primary School | primary | Community school | rural | 210 | 6.5 | 11.0 | Kent
Wealdbrook Primary School | primary | Community school | rural | 180 | 4.8 | 9.5 | West Sussex
Saltings Primary School | primary | Community school | urban | 420 | 31.2 | 24.0 | Medway
Hopfield Primary School | primary | Community school | urban | 360 | 27.4 | 21.3 | Kent
Oastwell C of E Primary School | primary | Voluntary aided school | rural | 140 | 3.9 | 8.7 | Kent
Marshgate Primary School | primary | Community school | urban | 390 | 35.8 | 26.1 | Medway
Downsview Park Primary School | primary | Community school | urban | 300 | 18.0 | 17.2 | East Sussex
Beacon Heath Primary School | primary | Foundation school | urban | 450 | 5.2 | 10.1 | Surrey
Fennel Lane Primary School | primary | Community school | urban | 330 | 22.6 | 19.8 | Hampshire
Shinglebank Primary School | primary | Community school | urban | 270 | 29.5 | 23.4 | East Sussex
Kestrel Rise Primary School | primary | Community school | urban | 400 | 7.1 | 12.0 | Surrey
Cobnut Primary School | primary | Voluntary controlled school | rural | 95 | 8.3 | 14.5 | Kent
Harbourside Community College | secondary | Community school | urban | 1050 | 32.4 | 22.0 | Medway
Greensand Ridge School | secondary | Foundation school | rural | 1200 | 4.1 | 9.8 | Surrey
Weald Oak High School | secondary | Community school | rural | 980 | 6.7 | 11.2 | West Sussex
Estuary View School | secondary | Community school | urban | 870 | 28.9 | 25.5 | Kent
Millstream College | secondary | Foundation school | urban | 1100 | 19.3 | 16.0 | Hampshire
Seagate High School | secondary | Community school | urban | 760 | 26.1 | 21.7 | East Sussex
Downland Grammar School | secondary | Grammar (selective) | rural | 900 | 1.8 | 4.5 | Kent
""",
)

NETWORK_A_SCHOOLS = _table(
    """
Elmcross Infant School | infant | Community school | urban | 180 | 6.0 | 9.0
Elmcross Junior School | junior | Community school | urban | 240 | 7.2 | 10.1
Hartwell Fields Primary School | primary | Community school | rural | 160 | 3.5 | 7.8
Linnet Lane Primary School | primary | Community school | urban | 300 | 8.9 | 10.5
Stonecross C of E Primary School | primary | Voluntary controlled school | rural | 120 | 2.9 | 6.4
Meadowsweet Primary School | primary | Community school | urban | 330 | 9.4 | 11.0
Ashby Wold Primary School | primary | Community school | rural | 95 | 4.1 | 8.2
Cressbrook High School | secondary | Specialist technology college | urban | 1150 | 8.0 | 10.2
Wolds Edge School | secondary | Community school | rural | 850 | 5.5 | 9.0
Cressbrook Sixth Form College | college | Sixth-form college | urban | 1400 | 6.0 | 5.5
Hartwell College | college | Further education college | rural | 2100 | 7.5 | 9.5
""",
    "Midshire",
)

NETWORK_B_SCHOOLS = _table(
    """
Canal Side High School | secondary | Community school | urban | 980 | 38.5 | 11.2
Foundry Lane High School | secondary | Community school | urban | 1020 | 41.2 | 12.5
Ravensmoor High School | secondary | Community school | urban | 870 | 35.0 | 10.4
Brickfields High School | secondary | Community school | urban | 760 | 44.8 | 12.9
Tannery Hill High School | secondary | Foundation school | urban | 1150 | 29.7 | 9.8
Wharfside High School | secondary | Community school | urban | 900 | 36.4 | 11.6
Kilnbrook High School | secondary | Community school | urban | 820 | 33.1 | 10.9
Dunmere Sixth Form College | college | Sixth-form college | urban | 1600 | 27.5 | 7.4
Riverway College | college | Further education college | urban | 2400 | 31.0 | 8.9
""",
    "City of Dunmere",
)

TWEEDMOUTH_SCHOOLS = _table(
    """
Kittiwake First School | primary | First school | urban | 190 | 14.2 | 15.0
Salmon Row First School | primary | First school | urban | 160 | 17.5 | 16.3
Lowfell First School | primary | First school | rural | 70 | 6.1 | 11.8
Bramblehaugh First School | primary | First school | rural | 55 | 5.4 | 9.9
Whinstone First School | primary | First school | urban | 210 | 12.8 | 14.1
Harbourgate Middle School | middle | Middle school (deemed secondary) | urban | 420 | 13.0 | 17.4
Castle Moor Middle School | middle | Middle school (deemed secondary) | rural | 310 | 9.2 | 14.6
Border Reach High School | secondary | High school (13–18) | urban | 740 | 11.4 | 12.7
""",
    "Northumberland",
)

JANUS_SCHOOLS = _table(
    """
Larchwood Infant School | infant | Community school | urban | 240 | 15.5 | 14.0
Larchwood Junior School | junior | Community school | urban | 310 | 16.8 | 17.5
Rookery Lane Primary School | primary | Community school | urban | 280 | 21.0 | 18.2
Copper Beech Primary School | primary | Community school | rural | 150 | 7.9 | 12.4
Thistle Bank Primary School | primary | Voluntary controlled school | urban | 205 | 12.3 | 15.1
Foxglove Primary School | primary | Community school | rural | 130 | 9.6 | 13.0
""",
    "Staffordshire",
)

PENDLE_SCHOOLS = _table(
    """
Black Moss Primary School | primary | Community school | rural | 62 | 8.1 | 12.9
Hollin Clough C of E Primary School | primary | Voluntary aided school | rural | 48 | 4.2 | 10.4
Hazelgill Primary School | primary | Community school | rural | 104 | 11.5 | 15.2
Cragg Top Primary School | primary | Community school | rural | 77 | 6.5 | 13.0
Whinfell Primary School | primary | Community school | rural | 91 | 9.9 | 14.3
Ridgeside Methodist Primary School | primary | Voluntary controlled school | rural | 55 | 3.6 | 9.1
Laithe Brook Primary School | primary | Community school | rural | 118 | 12.7 | 16.8
""",
    "Lancashire",
)

NORTH_HARTLEPOOL_SCHOOLS = _table(
    """
Brackenhill Primary School | primary | Community school | urban | 320 | 38.2 | 22.5
Fishermen's Row Primary School | primary | Community school | urban | 210 | 44.1 | 25.0
Ironmasters Primary School | primary | Community school | urban | 390 | 29.6 | 19.4
Cormorant Primary School | primary | Community school | urban | 260 | 35.3 | 21.8
Gull Bank Primary School | primary | Voluntary aided school | urban | 180 | 26.4 | 17.0
Lighthouse Lane Primary School | primary | Community school | urban | 300 | 41.7 | 23.9
""",
    "Hartlepool",
)

BRANSHOLME_SCHOOLS = _table(
    """
Lapwing Primary School | primary | Community school | urban | 280 | 48.5 | 27.2
Redshank Primary School | primary | Community school | urban | 240 | 52.1 | 29.0
Bittern Walk Primary School | primary | Community school | urban | 310 | 45.8 | 24.6
Plover Green Primary School | primary | Community school | urban | 200 | 50.3 | 26.1
Dunlin Primary School | primary | Community school | urban | 230 | 43.9 | 23.5
Curlew Close Primary School | primary | Community school | urban | 190 | 55.2 | 30.4
Sandmartin Primary School | primary | Community school | urban | 260 | 47.0 | 25.3
Tern Hill Primary School | primary | Community school | urban | 170 | 49.6 | 28.8
Carrside High School | secondary | Community school | urban | 880 | 42.3 | 24.0
Fleetway High School | secondary | Community school | urban | 760 | 46.7 | 26.5
""",
    "Kingston upon Hull",
)

KAHUI_AKO_SCHOOLS = _table(
    """
Mātātahi Kindergarten | early_learning | Kindergarten (early learning service) | urban | 45 | -
Kererū Valley School | primary | Full primary (Years 1–8) | rural | 140 | 468
Harakeke Flats School | primary | Contributing (Years 1–6) | urban | 310 | 502
Pūriri Ridge School | primary | Contributing (Years 1–6) | urban | 420 | 455
Raupō Stream School | primary | Full primary (Years 1–8) | rural | 85 | 489
Mātātahi Intermediate | middle | Intermediate (Years 7–8) | urban | 520 | 476
Mātātahi College | secondary | Secondary (Years 9–13) | urban | 980 | 471
""",
    "Waikato",
    new_zealand=True,
)


def _seeveaz(b: _Builder) -> None:
    schools = b.add_schools(SEEVEAZ_SCHOOLS, 990001)
    by_name = {school.name.split(" ")[0]: school for school in schools}
    heads = b.heads()
    deputy = b.staff(
        by_name["Saltings"],
        "Deputy headteacher",
        PostLevel.SENIOR,
        bio="Leads the zone's work on curriculum opportunity in primary schools.",
        expertise=["Curriculum design", "Leadership coaching"],
    )
    b.co_leaders(heads[13], deputy)
    # Leadership changes over time: the zone's first co-leader handed over in 2002.
    first = b.role(
        heads[18], Role.CO_LEADER, by_name["Downland"], note="Founding co-leader, 2000–2002"
    )
    if first.ended is None:
        services.end_role(network_role=first, ended=datetime.date(2002, 7, 31), by=b.admin)
    # Whom each mentor mentors, and which school supports which, are professional learning's
    # support relationships (netlearn/programmes/demo.py), not notes on the roles.
    b.role(heads[14], Role.MENTOR, by_name["Weald"])
    b.role(heads[7], Role.MENTOR, by_name["Beacon"])
    facilitator = b.partner(
        PartnerOrganisation.CRITICAL_FRIEND,
        "Zone office (former secondary headteacher)",
        "Directs the zone: facilitates the headteachers' forum, brokers support between schools "
        "and keeps the network's purpose in view.",
        ["School improvement", "Facilitation"],
    )
    b.role(facilitator, Role.FACILITATOR, note="Zone director")
    teachers = [
        b.staff(
            by_name["Greensand"],
            "Head of science",
            PostLevel.MIDDLE,
            bio="Shares practical science lessons with primary colleagues across the zone.",
            expertise=["Science", "Transition"],
        ),
        b.staff(
            by_name["Marshgate"],
            "Year 6 teacher and literacy co-ordinator",
            bio="Trialling guided reading routines with two partner schools.",
            expertise=["Literacy", "Guided reading"],
        ),
        b.staff(
            by_name["Estuary"],
            "Teacher of mathematics",
            bio="Works on assessment for learning in Key Stage 3 mathematics.",
            expertise=["Assessment for learning", "Mathematics"],
        ),
        b.staff(
            by_name["Kestrel"],
            "ICT co-ordinator",
            bio="Runs the zone's online conferencing between schools far apart.",
            expertise=["ICT", "Online collaboration"],
        ),
    ]
    b.group(
        "Headteachers' forum",
        GroupKind.HEADTEACHER,
        "Agrees the common improvement agenda, owns each school's strengths and weaknesses "
        "collectively and decides what the zone does next.",
        people=heads,
    )
    b.group(
        "Teaching and learning group",
        GroupKind.DEVELOPMENT,
        "Teachers from high-performing schools and schools in challenging circumstances share "
        "effective classroom practice and bring it back to their schools.",
        people=[deputy, *teachers, facilitator],
    )


def _network_a(b: _Builder) -> None:
    schools = b.add_schools(NETWORK_A_SCHOOLS, 990101)
    heads = [b.head(school) for school in schools[:9]] + [
        b.head(school, "Principal") for school in schools[9:]
    ]
    deputy = b.staff(
        schools[5],
        "Deputy headteacher",
        PostLevel.SENIOR,
        bio="Leads transition work between the network's primaries and its secondary schools.",
        expertise=["Transition", "Thinking skills"],
    )
    b.co_leaders(heads[7], deputy)
    facilitator = b.partner(
        PartnerOrganisation.LOCAL_AUTHORITY,
        "Midshire County Council, school improvement service",
        "Link adviser to the network; supports the strategy group and the middle leaders "
        "programme.",
        ["Middle leadership", "School self-evaluation"],
    )
    b.role(facilitator, Role.FACILITATOR)
    vle_lead = b.staff(
        schools[7],
        "Director of e-learning",
        PostLevel.MIDDLE,
        bio="Built the network's virtual learning environment and trains colleagues in partner "
        "schools, who train their own staff in turn.",
        expertise=["Virtual learning environments", "ICT", "Cascade training"],
    )
    mfl = b.staff(
        schools[8],
        "Head of modern foreign languages",
        PostLevel.MIDDLE,
        bio="Teaches French in four partner primaries and shares the resources on the VLE.",
        expertise=["Modern foreign languages", "Primary languages"],
    )
    thinking = b.staff(
        schools[3],
        "Year 5 teacher",
        bio="Trialling thinking-skills lessons and a homework project for Year 7 starters.",
        expertise=["Thinking skills", "Gifted and talented"],
    )
    ta = b.staff(
        schools[2],
        "Higher level teaching assistant",
        PostLevel.SUPPORT,
        bio="Supports extracurricular clubs shared between the rural schools.",
        expertise=["Extracurricular provision"],
    )
    governor = b.staff(schools[8], "Chair of governors", PostLevel.GOVERNOR)
    council = b.staff(
        schools[1],
        "Teacher, school council link",
        bio="Runs the junior school council and its online discussion with Year 7 pupils.",
        expertise=["Pupil voice"],
    )
    # What each coach cascades, and to whom, is a coaching relationship in professional
    # learning (netlearn/programmes/demo.py).
    b.role(vle_lead, Role.COACH, schools[7])
    b.role(mfl, Role.COACH, schools[8])
    b.group(
        "Strategy group",
        GroupKind.HEADTEACHER,
        "Heads and principals meet each half-term to set the network's strategy and budget.",
        people=heads,
    )
    b.group(
        "Steering group",
        GroupKind.STEERING,
        "Brings every level of the network together to steer its learning foci.",
        represents=[
            (heads[0], PostLevel.HEAD),
            (deputy, PostLevel.SENIOR),
            (vle_lead, PostLevel.MIDDLE),
            (thinking, PostLevel.TEACHER),
            (ta, PostLevel.SUPPORT),
            (governor, PostLevel.GOVERNOR),
            (council, PostLevel.PUPIL),
        ],
    )
    b.group(
        "VLE development group",
        GroupKind.DEVELOPMENT,
        "Schools post resources, trial each other's and report back; only what works well "
        "reaches the shared site.",
        people=[vle_lead, mfl, thinking],
    )
    b.group(
        "Middle leaders programme",
        GroupKind.DEVELOPMENT,
        "The network's own training programme for middle leaders, modelled on national "
        "leadership programmes.",
        people=[vle_lead, mfl, facilitator],
    )


def _network_b(b: _Builder) -> None:
    schools = b.add_schools(NETWORK_B_SCHOOLS, 990201)
    heads = [b.head(school) for school in schools[:7]] + [
        b.head(school, "Principal") for school in schools[7:]
    ]
    deputy = b.staff(
        schools[1],
        "Deputy headteacher",
        PostLevel.SENIOR,
        bio="Co-ordinates the collaborative leadership learning groups.",
        expertise=["Pupil voice", "Leadership development"],
    )
    b.co_leaders(heads[0], deputy)
    facilitator = b.partner(
        PartnerOrganisation.UNIVERSITY,
        "University of Dunmere, School of Education",
        "Supports the network's teacher-researchers with enquiry methods and writing up.",
        ["Practitioner enquiry", "Research methods"],
    )
    b.role(facilitator, Role.FACILITATOR)
    enquiries = [
        (2, "Head of mathematics", "Numeracy across the curriculum in Year 8", ["Numeracy"]),
        (
            3,
            "Teacher of English",
            "Student interviews on what motivates boys in Year 9",
            ["Pupil voice", "Motivation"],
        ),
        (4, "Teacher of art", "Creative starters in Key Stage 3 lessons", ["Creativity", "Art"]),
        (
            5,
            "Teacher of science",
            "Value added at Key Stage 3 and student feedback",
            ["Assessment for learning", "Science"],
        ),
        (
            7,
            "Lecturer in psychology",
            "Students as researchers at 16–19",
            ["Students as researchers"],
        ),
    ]
    researchers = []
    for index, title, enquiry, tags in enquiries:
        person = b.staff(
            schools[index], title, bio=f"Teacher-researcher. Enquiry: {enquiry}.", expertise=tags
        )
        b.role(person, Role.TEACHER_RESEARCHER, schools[index], note=enquiry)
        researchers.append(person)
    b.group(
        "Headteachers' group",
        GroupKind.HEADTEACHER,
        "Heads and principals: the network's strategy, its leadership incentive grant and "
        "Excellence in Cities commitments.",
        people=heads,
    )
    b.group(
        "Collaborative leadership learning group: pupil voice",
        GroupKind.DEVELOPMENT,
        "Leaders and teachers learn together how to hear students and act on what they say.",
        people=[deputy, researchers[1], researchers[4], facilitator],
    )
    b.group(
        "Collaborative leadership learning group: numeracy",
        GroupKind.DEVELOPMENT,
        "Raising numeracy across the network's Key Stage 3 classes.",
        people=[researchers[0], researchers[3], heads[4]],
    )
    b.group(
        "Collaborative leadership learning group: creativity and motivation",
        GroupKind.DEVELOPMENT,
        "Creative approaches that motivate students who have switched off.",
        people=[researchers[2], researchers[1], heads[6]],
    )


def _tweedmouth(b: _Builder) -> None:
    schools = b.add_schools(TWEEDMOUTH_SCHOOLS, 990301)
    heads = b.heads()
    deputy = b.staff(
        schools[5],
        "Deputy headteacher",
        PostLevel.SENIOR,
        bio="Holds the devolved network budget with the lead learners.",
        expertise=["Thinking for learning", "Transition"],
    )
    b.co_leaders(heads[7], deputy)
    facilitator = b.partner(
        PartnerOrganisation.LOCAL_AUTHORITY,
        "Northumberland County Council, school improvement service",
        "Brings in outside expertise on 'Thinking for learning' and on leading change from the "
        "classroom.",
        ["Thinking for learning", "Facilitation"],
    )
    b.role(facilitator, Role.FACILITATOR)
    foci = [
        ["Thinking for learning", "Early years"],
        ["Thinking for learning", "Philosophy for children"],
        ["Mixed-age teaching"],
        ["Thinking for learning", "Outdoor learning"],
        ["Pupil voice"],
        ["Transition", "Mathematics"],
        ["Transition", "Geography"],
        ["Leading from the classroom", "English"],
    ]
    coordinators = []
    for school, tags in zip(schools, foci, strict=True):
        title = "Class teacher, network co-ordinator"
        person = b.staff(
            school,
            title,
            bio="Lead learner for the school: co-ordinates network activity here and takes "
            "what the group learns back to colleagues.",
            expertise=tags,
        )
        b.role(person, Role.CO_ORDINATOR, school)
        coordinators.append(person)
    b.group(
        "Headteacher group",
        GroupKind.HEADTEACHER,
        "Sets the network's strategic direction: better transition across the three tiers.",
        people=heads,
    )
    b.group(
        "Lead learners group",
        GroupKind.LEAD_LEARNERS,
        "One co-ordinator from each school. Runs the network's business and budget, and learns "
        "together: joint planning, visits to each other's classrooms, 'Leading from the "
        "classroom'.",
        people=coordinators,
    )
    b.group(
        "Thinking lunches",
        GroupKind.OTHER,
        "A monthly lunch where staff from all tiers share 'Thinking for learning' practice.",
        people=coordinators[:2] + [coordinators[5]],
    )
    b.group(
        "Pupil voice conference",
        GroupKind.DEVELOPMENT,
        "Plans the network-wide conference on pupil voice.",
        people=[coordinators[4], coordinators[7]],
    )


def _janus(b: _Builder) -> None:
    schools = b.add_schools(JANUS_SCHOOLS, 990401)
    heads = b.heads()
    deputy = b.staff(
        schools[2], "Deputy headteacher", PostLevel.SENIOR, expertise=["Leading change"]
    )
    b.co_leaders(heads[0], deputy)
    friend = b.partner(
        PartnerOrganisation.CRITICAL_FRIEND,
        "Independent consultant, former primary headteacher",
        "Critical friend to the network: brings outside expertise in early years and writing.",
        ["Early years", "Writing"],
    )
    b.role(friend, Role.FACILITATOR, note="Critical friend")
    early = [
        b.staff(schools[i], title, bio=bio, expertise=tags)
        for i, title, bio, tags in [
            (
                0,
                "Reception teacher",
                "Plans play-based starts to Year 1.",
                ["Foundation stage", "Transition"],
            ),
            (
                2,
                "Year 1 teacher",
                "Co-designs Year 1 lessons with the reception team.",
                ["Key Stage 1", "Phonics"],
            ),
            (
                3,
                "Teaching assistant, foundation stage",
                "Leads outdoor learning sessions.",
                ["Outdoor learning"],
            ),
            (
                5,
                "Reception and Year 1 teacher",
                "Teaches a mixed reception/Year 1 class.",
                ["Mixed-age teaching", "Foundation stage"],
            ),
        ]
    ]
    writing = [
        b.staff(schools[i], title, bio=bio, expertise=tags)
        for i, title, bio, tags in [
            (
                1,
                "Year 4 teacher",
                "Trialling talk for writing before extended pieces.",
                ["Writing", "Speaking and listening"],
            ),
            (
                2,
                "Year 5 teacher",
                "Uses response partners and marking ladders.",
                ["Writing", "Assessment for learning"],
            ),
            (4, "Year 4 teacher", "Works on boys' writing through drama.", ["Writing", "Drama"]),
            (5, "Year 3/4 teacher", "Shares writing journals across the network.", ["Writing"]),
        ]
    ]
    b.group(
        "Headteacher group",
        GroupKind.HEADTEACHER,
        "The strategic leadership of the network; runs a leadership-of-change programme for the "
        "two development groups.",
        people=heads,
    )
    b.group(
        "Foundation stage to Key Stage 1 transition group",
        GroupKind.DEVELOPMENT,
        "Teachers from beyond the formal leadership of each school co-design lessons and "
        "resources for the move from reception into Year 1.",
        people=[*early, friend],
    )
    b.group(
        "Writing in Key Stage 2 group",
        GroupKind.DEVELOPMENT,
        "Develops the teaching of writing in Years 3 to 5 on behalf of all six schools.",
        people=[*writing, friend],
    )


def _pendle(b: _Builder) -> None:
    schools = b.add_schools(PENDLE_SCHOOLS, 990501)
    heads = b.heads()
    coleader = b.staff(
        schools[2],
        "Deputy headteacher and Year 5/6 teacher",
        PostLevel.SENIOR,
        name="Helen Ormerod",
        username="coleader",
        password=PASSWORD,
        bio="Co-leads the network with the head of Black Moss; teaches a mixed Year 5/6 class.",
        expertise=["Mixed-age teaching", "Network leadership"],
    )
    b.co_leaders(heads[0], coleader)
    facilitator = b.partner(
        PartnerOrganisation.LOCAL_AUTHORITY,
        "Lancashire County Council, advisory service",
        "Adviser for small schools; supports the steering group.",
        ["Small schools", "Facilitation"],
    )
    b.role(facilitator, Role.FACILITATOR)
    teacher = b.staff(
        schools[4],
        "Class teacher (Key Stage 1)",
        bio="Chairs the teachers' group.",
        expertise=["Phonics", "Outdoor learning"],
    )
    teacher2 = b.staff(
        schools[6], "Class teacher (Key Stage 2)", expertise=["Reading for pleasure"]
    )
    support = b.staff(
        schools[1],
        "Teaching assistant",
        PostLevel.SUPPORT,
        bio="Chairs the support staff group.",
        expertise=["Reading intervention"],
    )
    support2 = b.staff(schools[3], "School business manager", PostLevel.SUPPORT)
    governor = b.staff(schools[5], "Chair of governors", PostLevel.GOVERNOR)
    council = b.staff(
        schools[3],
        "Class teacher, school council link",
        bio="Brings the views of the seven school councils to the steering group.",
        expertise=["Pupil voice"],
    )
    outdoor = b.staff(
        schools[1],
        "Class teacher (Key Stage 2), outdoor learning lead",
        bio="Leads the outdoor learning sub-group of three schools.",
        expertise=["Outdoor learning", "Forest school"],
    )
    # Leadership at every level (docs/seed-practices.md#distributed-leadership): the groups'
    # chairs and the sub-groups' leads.
    b.role(teacher, Role.CO_ORDINATOR, schools[4], note="Chairs the teachers' group")
    b.role(support, Role.CO_ORDINATOR, schools[1], note="Chairs the support staff group")
    b.role(outdoor, Role.CO_ORDINATOR, schools[1], note="Leads the outdoor learning sub-group")
    b.role(teacher2, Role.CO_ORDINATOR, schools[6], note="Leads the reading for pleasure sub-group")
    # A sensitive role waits for its second person (a site admin or the other co-leader): the
    # demo's site admin finds it on their home.
    services.propose_role(
        network=b.network,
        person=support2,
        role=Role.DATA_LEAD,
        by=coleader,
        note="Keeps the seven schools' assessment data together",
    )
    b.pupil(schools[2], "Maisie T.", "pupil", PASSWORD)
    b.group(
        "Headteacher group",
        GroupKind.HEADTEACHER,
        "The heads have met for years on matters of joint concern; now works alongside the "
        "steering group.",
        people=heads,
    )
    b.group(
        "Network steering group",
        GroupKind.STEERING,
        "Representatives of every level from all schools: each active group reports here, so "
        "its learning is shared across the network and shapes its direction.",
        represents=[
            (heads[0], PostLevel.HEAD),
            (coleader, PostLevel.SENIOR),
            (teacher, PostLevel.TEACHER),
            (support, PostLevel.SUPPORT),
            (governor, PostLevel.GOVERNOR),
            (council, PostLevel.PUPIL),
        ],
    )
    b.group(
        "Teachers' group",
        GroupKind.OTHER,
        "Class teachers from all seven schools.",
        people=[teacher, teacher2, council, outdoor, coleader],
    )
    b.group(
        "Support staff group",
        GroupKind.OTHER,
        "Teaching assistants and office staff.",
        people=[support, support2],
    )
    subgroups = [
        ("Outdoor learning sub-group", "Using the moors and becks as a classroom.", schools[0:3]),
        (
            "Mixed-age classes sub-group",
            "Planning for classes that span two or three year groups.",
            schools[3:5],
        ),
        (
            "Reading for pleasure sub-group",
            "Book talk and shared reading across small schools.",
            schools[5:7],
        ),
    ]
    for name, purpose, members in subgroups:
        b.group(
            name,
            GroupKind.SCHOOL_SUBGROUP,
            f"{purpose} These schools work on behalf of all the others.",
            schools=members,
        )


def _north_hartlepool(b: _Builder) -> None:
    schools = b.add_schools(NORTH_HARTLEPOOL_SCHOOLS, 990601)
    heads = [
        b.head(
            school,
            username="head",
            name="Gareth Milburn",
            password=PASSWORD,
            bio="Headteacher; believes every teacher can lead enquiry.",
            expertise=["Research Lesson Study", "School leadership"],
        )
        if index == 3
        else b.head(school)
        for index, school in enumerate(schools)
    ]
    deputy = b.staff(
        schools[0],
        "Deputy headteacher",
        PostLevel.SENIOR,
        expertise=["Numeracy", "Research Lesson Study"],
    )
    b.co_leaders(heads[2], deputy)
    facilitator = b.partner(
        PartnerOrganisation.UNIVERSITY,
        "Teesbank University, School of Education",
        "Trained the network in Research Lesson Study and facilitates its writing days.",
        ["Research Lesson Study", "Practitioner enquiry"],
    )
    b.role(facilitator, Role.FACILITATOR)
    year_groups = ["Year 2", "Year 4", "Year 6"]
    foci = [
        ("Triad: mental calculation in Year 4", ["Numeracy", "Mental calculation"]),
        ("Triad: reasoning with word problems", ["Numeracy", "Problem solving"]),
        ("Triad: boys' writing through drama", ["Literacy", "Writing"]),
        ("Triad: talk before writing", ["Literacy", "Speaking and listening"]),
        ("Triad: fractions in Year 6", ["Numeracy", "Fractions"]),
        ("Triad: guided reading for inference", ["Literacy", "Reading"]),
    ]
    teachers: list[list[Person]] = []
    for school_index, school in enumerate(schools):
        row = []
        for k, year in enumerate(year_groups):
            triad_index = (school_index - k) % len(schools)
            triad_name, tags = foci[triad_index]
            focus = triad_name.removeprefix("Triad: ")
            kwargs = {}
            if school_index == 3 and k == 1:
                kwargs = {"username": "teacher", "name": "Priya Chaudhry", "password": PASSWORD}
            person = b.staff(
                school,
                f"{year} teacher",
                bio=f"{year} teacher and teacher-researcher; lesson study on {focus}.",
                expertise=[*tags, "Research Lesson Study"],
                **kwargs,
            )
            b.role(person, Role.TEACHER_RESEARCHER, school, note="Research Lesson Study")
            row.append(person)
        teachers.append(row)
    b.group(
        "Headteachers' group",
        GroupKind.HEADTEACHER,
        "The network's leadership: chose numeracy and literacy and provides release time.",
        people=heads,
    )
    # Triad j: the teacher k of school j + k, so every teacher is in exactly one triad and each
    # triad has three people from three different schools.
    for j, (name, _) in enumerate(foci):
        members = [teachers[(j + k) % len(schools)][k] for k in range(3)]
        b.group(
            name,
            GroupKind.TRIAD,
            "Three teachers from three schools plan, teach and observe a cycle of three "
            "research lessons, watching three case pupils, then write up what they learned.",
            people=members,
        )


def _bransholme(b: _Builder) -> None:
    schools = b.add_schools(BRANSHOLME_SCHOOLS, 990701)
    heads = b.heads()
    deputy = b.staff(
        schools[8],
        "Deputy headteacher",
        PostLevel.SENIOR,
        expertise=["Co-operative learning", "Key Stage 3"],
    )
    b.co_leaders(heads[0], deputy)
    partner = b.partner(
        PartnerOrganisation.UNIVERSITY,
        "Northbank University, Centre for Educational Studies",
        "Helped write the network's co-operative learning programme and supports its coaches.",
        ["Co-operative learning", "Coaching"],
        name="Dr Anne Lockwood",
        username="partner",
        password=PASSWORD,
    )
    b.role(partner, Role.FACILITATOR)
    eaz = b.partner(
        PartnerOrganisation.OTHER,
        "Bransholme Education Action Zone",
        "Zone literacy consultant who introduced 'Success for All' to three of the schools.",
        ["Literacy", "Success for All"],
    )
    # Wave 1: the development group (three Success for All primaries and a high school teacher)
    # coaches one partner school each; wave 2 coaches come from the wave 1 schools. A coach's
    # role names the school they coach; the waves, their places and who coached whom are
    # professional learning's (netlearn/programmes/demo.py).
    sfa, wave1, wave2 = schools[0:3], schools[3:6], [schools[6], schools[7], schools[9]]
    wave1_coaches = []
    for own, coached in zip(sfa, wave1, strict=True):
        coach = b.staff(
            own,
            "Key Stage 2 teacher, co-operative learning lead",
            bio="Member of the group that wrote the network's programme.",
            expertise=["Co-operative learning", "Success for All"],
        )
        b.role(
            coach,
            Role.COACH,
            coached,
            started=datetime.date(2003, 9, 1),
        )
        wave1_coaches.append(coach)
    high_teacher = b.staff(
        schools[8],
        "Head of English",
        PostLevel.MIDDLE,
        expertise=["Co-operative learning", "English"],
    )
    b.role(
        eaz,
        Role.COACH,
        wave1[0],
        started=datetime.date(2003, 9, 1),
    )
    wave2_coaches = []
    for own, coached in zip(wave1, wave2, strict=True):
        coach = b.staff(
            own,
            "Class teacher, co-operative learning coach",
            bio="Learned the approach in wave 1; now coaches the next school.",
            expertise=["Co-operative learning", "Coaching"],
        )
        b.role(
            coach,
            Role.COACH,
            coached,
            started=datetime.date(2004, 9, 1),
        )
        wave2_coaches.append(coach)
    b.group(
        "Headteacher group",
        GroupKind.HEADTEACHER,
        "Heads of all the estate's primaries and both high schools: plan the waves as rolls fall "
        "and schools amalgamate.",
        people=heads,
    )
    b.group(
        "Co-operative learning development group",
        GroupKind.DEVELOPMENT,
        "Wrote the network's own co-operative learning programme and supports each wave of "
        "coaches; coaches of each wave join it.",
        people=[*wave1_coaches, high_teacher, eaz, partner, *wave2_coaches],
    )
    _bransholme_amalgamation(b, continuing=schools[7])


def _bransholme_amalgamation(b: _Builder, *, continuing: School) -> None:
    """Rolls fall on the estate (docs/seed-practices.md#school-changes): a small infant school,
    a founding member, joined Tern Hill in September 2005 to make one primary. Tern Hill holds
    its membership now, and both pages tell the story (docs/school-changes.md)."""
    infant = services.create_school(
        name="Kittiwake Infant School",
        country=b.network.country,
        reference="990799",
        phase=Phase.INFANT,
        establishment_type="Community school",
        authority="Kingston upon Hull",
        setting=Setting.URBAN,
        roll=85,
        fsm_percent=Decimal("51.0"),
        sen_percent=Decimal("27.5"),
        is_demo=True,
    )
    services.add_school_to_network(network=b.network, school=infant, by=b.admin, joined=b.founded)
    services.amalgamate_schools(
        schools=[infant],
        continuing=continuing,
        on=datetime.date(2005, 9, 1),
        reason="Falling rolls: the infant school and the primary next to it became one school.",
        by=b.admin,
    )


def _kahui_ako(b: _Builder) -> None:
    schools = b.add_schools(KAHUI_AKO_SCHOOLS, 99001)
    # The sixth principal signs in as the demo's Kāhui Ako lead.
    heads = [b.head(schools[0], "Head teacher")] + [
        b.head(
            school,
            "Principal",
            **({"username": "kahuilead", "password": PASSWORD} if i == 5 else {}),
        )
        for i, school in enumerate(schools[1:], start=1)
    ]
    b.co_leaders(heads[5], heads[2], note="Kāhui Ako leadership team")
    expert = b.partner(
        PartnerOrganisation.OTHER,
        "Kaimai Learning Partners (expert partner)",
        "Expert partner: supports the Spirals of Inquiry and the use of evidence.",
        ["Spirals of Inquiry", "Data literacy"],
    )
    b.role(expert, Role.FACILITATOR, note="Expert partner")
    challenges = [
        (1, "Writing, Years 4–8", ["Writing", "Te reo Māori"]),
        (3, "Oral language from early learning to school", ["Oral language", "Transition"]),
        (
            6,
            "NCEA Level 2 for Māori and Pasifika students",
            ["NCEA", "Culturally sustaining pedagogy"],
        ),
    ]
    acts = []
    for index, challenge, tags in challenges:
        person = b.staff(
            schools[index],
            "Across-school teacher",
            bio=f"Works across the Kāhui Ako on the achievement challenge: {challenge}.",
            expertise=tags,
        )
        b.role(
            person,
            Role.ACROSS_COMMUNITY_TEACHER,
            schools[index],
            note=f"Achievement challenge: {challenge}",
        )
        acts.append(person)
    new_entrant = b.staff(schools[3], "New entrant teacher", expertise=["Oral language"])
    kaiako = b.staff(
        schools[0], "Kaiako (teacher)", expertise=["Early learning", "Whānau partnership"]
    )
    b.group(
        "Leaders' group",
        GroupKind.HEADTEACHER,
        "Principals and the kindergarten head teacher: lateral accountability for every "
        "learner in the community.",
        people=heads,
    )
    b.group(
        "Across-school teachers",
        GroupKind.LEAD_LEARNERS,
        "The across-school teachers meet fortnightly to plan support for within-school teachers.",
        people=acts,
    )
    b.group(
        "Spiral of inquiry: oral language into school",
        GroupKind.DEVELOPMENT,
        "Scanning, focusing, a hunch, new learning, action and checking: how children's oral "
        "language carries from kindergarten into new entrant classes, with whānau.",
        people=[acts[1], new_entrant, kaiako, expert],
    )


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    prefix: str
    name: str
    kind: str
    founded: datetime.date
    description: str
    build: Callable[[_Builder], None]
    country: str = Country.ENGLAND


NETWORKS = (
    NetworkSpec(
        "seeveaz",
        "seev",
        "South East England Virtual Education Action Zone (SEEVEAZ)",
        NetworkKind.ACTION_ZONE,
        datetime.date(2000, 4, 1),
        "Nineteen primary and secondary schools across several south-east local authorities, "
        "joined not by a map but by a purpose: schools that are doing well work alongside "
        "schools in challenging circumstances, as equals. Together they look for the levers "
        "that improve teaching and learning, widen what the curriculum offers and grow "
        "leadership at every level, and carry what the network learns back into each school.",
        _seeveaz,
    ),
    NetworkSpec(
        "network-a",
        "neta",
        "Network A",
        NetworkKind.COLLABORATIVE,
        datetime.date(2002, 9, 1),
        "Eleven schools from infant school to college in a large county, some in towns and "
        "some in villages, building on long-standing relationships. Foci: lifelong learning, "
        "thinking skills, transition, raising attainment, literacy, modern languages and "
        "extracurricular provision. A shared virtual learning environment holds only the "
        "resources other schools have trialled well; staff trained in one school train "
        "colleagues in the others; the network runs its own middle leaders programme.",
        _network_a,
    ),
    NetworkSpec(
        "network-b",
        "netb",
        "Network B",
        NetworkKind.COLLABORATIVE,
        datetime.date(2002, 9, 1),
        "Seven high schools and two colleges in a city authority with many disadvantaged "
        "families. Once rivals for pupils and staff, they now learn together in collaborative "
        "leadership learning groups, and teacher-researchers enquire into creativity, "
        "motivation, pupil voice and numeracy. Value added at Key Stage 3 has risen.",
        _network_b,
    ),
    NetworkSpec(
        "tweedmouth",
        "tweed",
        "Tweedmouth NLC",
        NetworkKind.NLC,
        datetime.date(2002, 9, 1),
        "All the first, middle and high schools of a three-tier system. The heads handed the "
        "development of the network, and its budget, to a co-ordinator in each school: the lead "
        "learners group. Its purpose is smoother transition between the tiers through "
        "'Thinking for learning'; thinking lunches and a pupil voice conference spread the "
        "learning.",
        _tweedmouth,
    ),
    NetworkSpec(
        "janus",
        "janus",
        "Janus NLC",
        NetworkKind.NLC,
        datetime.date(2003, 1, 1),
        "Six primary, infant and junior schools. The headteacher group chose two foci — the "
        "move from the foundation stage into Key Stage 1, and writing in the middle of Key "
        "Stage 2 — and gave a development group of teachers from beyond the schools' formal "
        "leadership time, training and a critical friend to lead each one.",
        _janus,
    ),
    NetworkSpec(
        "pendle-small-schools",
        "pendle",
        "Pendle Small Schools NLC",
        NetworkKind.NLC,
        datetime.date(2002, 9, 1),
        "Seven small rural primary schools whose heads have worked together for years. "
        "Leadership now reaches every level: a steering group with representatives of heads, "
        "teachers, support staff, governors and pupils, and three sub-groups of schools that "
        "each work on one area on behalf of all the others.",
        _pendle,
    ),
    NetworkSpec(
        "north-hartlepool",
        "nhart",
        "North Hartlepool PNSLN",
        NetworkKind.NLC,
        datetime.date(2005, 9, 1),
        "A primary learning network working from the inside out on numeracy and literacy. "
        "Three teachers from each school form triads across schools and run cycles of Research "
        "Lesson Study; after each cycle a writing day turns their findings into accounts for "
        "the whole network.",
        _north_hartlepool,
    ),
    NetworkSpec(
        "bransholme",
        "brans",
        "Bransholme NLC",
        NetworkKind.NLC,
        datetime.date(2003, 1, 1),
        "All the primary schools and both high schools of a large housing estate where rolls "
        "are falling. The network wrote its own co-operative learning programme and rolled it "
        "out in waves: the coaches of each wave come from the schools of the wave before, so "
        "leadership grows as the approach spreads.",
        _bransholme,
    ),
    NetworkSpec(
        "matatahi-kahui-ako",
        "matatahi",
        "Mātātahi Kāhui Ako",
        NetworkKind.KAHUI_AKO,
        datetime.date(2016, 3, 1),
        "A Community of Learning of a kindergarten, four primary schools, an intermediate and "
        "a college along one learning pathway. Leaders share achievement challenges and "
        "lateral accountability; across-school teachers lead Spirals of Inquiry; students, "
        "whānau and teachers are partners in learning.",
        _kahui_ako,
        Country.NEW_ZEALAND,
    ),
)


# ---------------------------------------------------------------------------------------------
# Loading


def load(*, admin: Person) -> None:
    """Creates the seed networks that do not exist yet, then the ties between them."""
    # Names given to the sign-in people are never generated for anyone else.
    used_names = {"Helen Ormerod", "Gareth Milburn", "Priya Chaudhry", "Anne Lockwood"}
    for spec in NETWORKS:
        if Network.objects.filter(slug=spec.slug).exists():
            continue
        network = Network.objects.create(
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            country=spec.country,
            currency=Currency.NZD if spec.country == Country.NEW_ZEALAND else Currency.GBP,
            description=spec.description,
            founded=spec.founded,
            is_demo=True,
        )
        nz = spec.country == Country.NEW_ZEALAND
        builder = _Builder(
            admin=admin,
            network=network,
            prefix=spec.prefix,
            name=_Namer(spec.slug, nz, used_names),
            rng=random.Random(f"{spec.slug}-dates"),
        )
        spec.build(builder)
    _ties_between_networks(admin)
    _single_sign_on()


def _single_sign_on() -> None:
    """The school Gareth Milburn ("head") leads signs its staff in with its Google accounts: its
    domain is set, and a new teacher who signed in from it waits in the join queue for him."""
    head = account_selectors.people_with_usernames(["head"]).filter(is_demo=True).first()
    post = head and head.staff_posts.filter(leads_school=True).select_related("school").first()
    if post is None or post.school.email_domains.exists():
        return
    domain = services.add_email_domain(
        school=post.school, domain=f"{_ascii_slug(post.school.name)}.example", by=head
    )
    services.request_to_join(
        email_domain=domain,
        name="Bethany Hall",
        email=f"bethany.hall@{domain.domain}",
        provider="google",
        is_demo=True,
    )


def _ties_between_networks(admin) -> None:
    """Networks overlap in life: the head's school also belongs to Network A, and the university
    that supports Bransholme also facilitates Network B's shared enquiry."""
    cormorant = School.objects.filter(name="Cormorant Primary School", is_demo=True).first()
    network_a = Network.objects.filter(slug="network-a").first()
    if (
        cormorant
        and network_a
        and not NetworkMembership.objects.current()
        .filter(network=network_a, school=cormorant)
        .exists()
    ):
        services.add_school_to_network(
            network=network_a, school=cormorant, by=admin, joined=datetime.date(2005, 9, 1)
        )
    partner = account_selectors.people_with_usernames(["partner"]).filter(is_demo=True).first()
    network_b = Network.objects.filter(slug="network-b").first()
    if (
        partner
        and network_b
        and not NetworkRole.objects.current()
        .filter(network=network_b, person=partner, role=Role.FACILITATOR)
        .exists()
    ):
        services.assign_role(
            network=network_b,
            person=partner,
            role=Role.FACILITATOR,
            by=admin,
            note="Supports the network's shared enquiry",
        )
