"""Charters for the demo's seed networks, after their practices (docs/seed-practices.md#charter).

`load(admin=...)` finds each network by slug and skips one that already has a charter, so running
the demo twice changes nothing. Everything is written through the services, as the site admin.
"""

import datetime
from decimal import Decimal

from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Network

from . import services
from .models import Charter, CommitmentKind

D = datetime.date
NLC_START, NLC_END = D(2003, 7, 1), D(2006, 7, 1)


def _focus(title, description, pupils, visible, link, *, groups="", lead="", goals=()):
    return {
        "title": title,
        "description": description,
        "pupils": pupils,
        "pupil_groups": groups,
        "visible_when_achieved": visible,
        "adult_learning_link": link,
        "lead": lead,
        "goals": goals,
    }


def _goal(measure, unit, baseline, target, progress=(), *, start=NLC_START, end=NLC_END):
    return {
        "measure": measure,
        "unit": unit,
        "baseline": (Decimal(str(baseline)), start),
        "target": (Decimal(str(target)), end),
        "progress": [(day, Decimal(str(value))) for day, value in progress],
    }


ATTENDANCE = {
    "text": "A school that attends fewer than two thirds of network meetings loses access to the "
    "pooled fund for the following term.",
    "binds": "Every member school, through its head",
    "how_checked": "The meeting registers, reviewed by the co-leaders each term.",
    "kind": CommitmentKind.ATTENDANCE,
    "attendance_threshold": 67,
}
RELEASE = {
    "text": "Each school releases its lead learner for one afternoon a fortnight for network work.",
    "binds": "Every member school",
    "how_checked": "Lead learners report release time to the steering group each half term.",
}

CHARTERS = {
    "tweedmouth": {
        "purpose": "To improve transition in the three-tier system — first, middle and high "
        "schools — through the 'Thinking for learning' pedagogy, so that pupils carry the way "
        "they learn from one school to the next.",
        "values": "Leadership from the classroom; learning together before telling others; "
        "pupils' voices heard at every tier.",
        "foci": [
            _focus(
                "Transition between the tiers through 'Thinking for learning'",
                "Pupils moving from first to middle and from middle to high school lose momentum "
                "in the first term. Every school will teach the same 'Thinking for learning' "
                "strategies so that pupils meet familiar ways of learning after each move.",
                "All pupils in Year 4 and Year 8 as they move between the tiers",
                "Pupils in the new school use the thinking strategies unprompted in lessons, "
                "and teachers in both tiers plan transition units together.",
                "Lead learners learn the pedagogy together, go into one another's classrooms and "
                "bring it back to colleagues through thinking lunches; pupils practise the same "
                "strategies in each tier.",
                groups="Pupils new to the area and pupils with SEN",
                lead="Lead learners",
                goals=[
                    _goal(
                        "Pupils who say they settled into their new school by half term",
                        "% of pupils",
                        62,
                        85,
                        [(D(2004, 11, 1), 68), (D(2005, 11, 1), 76)],
                    )
                ],
            )
        ],
        "commitments": [ATTENDANCE, RELEASE],
        "in_force": True,
    },
    "janus": {
        "purpose": "Two shared foci chosen by the headteacher group and led by development "
        "groups of teachers from beyond the schools' formal leadership.",
        "values": "Teachers lead; a critical friend supports and challenges.",
        "foci": [
            _focus(
                "Transition from the Foundation Stage to Key Stage 1",
                "Children moving from Reception into Year 1 meet a more formal curriculum too "
                "soon. Every school will keep play-based learning into Year 1 and share "
                "observation records across the move.",
                "All children in Reception and Year 1 in every school",
                "Year 1 classrooms keep learning through play in the autumn term and children's "
                "profiles follow them, read and used by their new teacher.",
                "Teachers in the development group visit one another's classrooms and train "
                "colleagues; what they learn shapes the activities children meet in Year 1.",
                lead="Foundation to KS1 development group",
                goals=[
                    _goal(
                        "Children reaching the expected level in writing at the end of Year 1",
                        "% of children",
                        58,
                        70,
                        [(D(2004, 7, 1), 61)],
                    )
                ],
            ),
            _focus(
                "Writing in the middle years of Key Stage 2",
                "Pupils in Years 4 and 5 write less, and less well, than they read. Every school "
                "will teach extended writing weekly and moderate pupils' work together termly.",
                "All pupils in Years 4 and 5 in every school",
                "Pupils choose to write at length and moderated samples meet the expected "
                "standard in every school.",
                "Teachers in the writing development group plan and moderate together; the "
                "modelling they practise is what pupils then use in class.",
                groups="Boys",
                lead="Writing development group",
                goals=[
                    _goal(
                        "Pupils at level 4 or above in writing at the end of Key Stage 2",
                        "% of pupils",
                        55,
                        68,
                        [(D(2004, 7, 1), 57), (D(2005, 7, 1), 59)],
                    )
                ],
            ),
        ],
        "commitments": [ATTENDANCE],
        "in_force": True,
    },
    "pendle-small-schools": {
        "purpose": "Small rural primaries that lead together: groups of teachers and support staff "
        "at every level, a steering group where every group reports, and three sub-groups of "
        "schools each working on something of value to all.",
        "values": "Mutuality: each sub-group works on behalf of the other schools; what one "
        "learns, all share through the steering group.",
        "foci": [
            _focus(
                "Mixed-age teaching in small schools",
                "Each sub-group of schools takes one aspect of teaching classes of two or three "
                "year groups and brings what works to the steering group for every school to use.",
                "All pupils in mixed-age classes, Reception to Year 6",
                "Planning for mixed-age classes is shared across the network, and pupils in every "
                "year group of a class make the progress expected of them.",
                "Teachers and support staff try approaches in each other's classes within their "
                "sub-group; the steering group turns them into the network's shared planning.",
                goals=[
                    _goal(
                        "Pupils making expected progress in reading across Key Stage 2",
                        "% of pupils",
                        71,
                        82,
                        [(D(2006, 7, 1), 74)],
                        start=D(2005, 7, 1),
                        end=D(2008, 7, 1),
                    )
                ],
            )
        ],
        "commitments": [ATTENDANCE],
        "in_force": False,
    },
    "north-hartlepool": {
        "purpose": "To work from the inside out on numeracy and literacy: triads of teachers "
        "across schools run Research Lesson Study and write up what they learn for everyone.",
        "values": "Teachers' own classrooms are the starting point; findings are shared.",
        "foci": [
            _focus(
                "Numeracy and literacy through Research Lesson Study",
                "Three teachers from each school form triads across schools and run cycles of "
                "three research lessons in numeracy or literacy, observing case pupils closely.",
                "All pupils in Key Stage 2, with case pupils chosen in every class",
                "Teachers plan lessons from what case pupils did; writing days produce accounts "
                "that other schools use.",
                "Teachers' lesson study on how case pupils learn leads directly to changes in "
                "what pupils are taught in the next research lesson.",
                goals=[
                    _goal(
                        "Pupils at the expected level in mathematics at the end of Key Stage 2",
                        "% of pupils",
                        64,
                        75,
                        [(D(2006, 7, 1), 66), (D(2007, 7, 1), 67)],
                        start=D(2005, 7, 1),
                        end=D(2008, 7, 1),
                    )
                ],
            )
        ],
        "commitments": [RELEASE],
        "in_force": False,
    },
    "network-a": {
        "purpose": "Eleven schools from infant to college share three foci: thinking skills, "
        "transition and raising attainment; literacy; and modern foreign languages.",
        "values": "Only what has been trialled well is shared; staff trained in one school "
        "train colleagues in the others.",
        "foci": [
            _focus(
                "Thinking skills, transition and raising attainment",
                "Thinking skills taught across every phase, so pupils carry them through each "
                "transition and attainment rises.",
                "All pupils from infant school to college",
                "Pupils use the same thinking tools in every school.",
                "Staff trained in one school cascade the training to colleagues; pupils meet the "
                "same tools.",
                goals=[
                    _goal(
                        "Value added at Key Stage 3", "points", 99.5, 100.5, [(D(2004, 7, 1), 99.9)]
                    )
                ],
            ),
            _focus("Literacy", "Reading and writing across the network.", "", "", ""),
            _focus(
                "Modern foreign languages",
                "Languages taught in primary schools by secondary specialists.",
                "Years 5 and 6",
                "",
                "",
            ),
        ],
        "commitments": [ATTENDANCE],
        "in_force": False,
    },
    "network-b": {
        "purpose": "Once rivals, seven high schools and two colleges learn together in "
        "collaborative leadership learning groups.",
        "values": "Collaboration over competition.",
        "foci": [
            _focus(
                "Pupil voice",
                "Every school gives pupils a real say in teaching and learning through school "
                "councils and pupil researchers.",
                "All students in Key Stage 3 and Key Stage 4",
                "Students sit on interview panels and report to governors on teaching.",
                "Teacher-researchers enquire with students into what motivates them.",
            ),
            _focus(
                "Numeracy",
                "Numeracy across the curriculum in every high school.",
                "Key Stage 3",
                "",
                "",
                goals=[
                    _goal(
                        "Students at level 5 or above in mathematics at the end of Key Stage 3",
                        "% of students",
                        61,
                        70,
                        [(D(2004, 7, 1), 60)],
                    ),
                    # Its figures come from the network's KS3 pupil files (`impact.demo`),
                    # whose models give the golden thread its value added.
                    _goal(
                        "Students' average point score at the end of Key Stage 3",
                        "points",
                        32.5,
                        33.5,
                    ),
                ],
            ),
        ],
        "commitments": [ATTENDANCE],
        "in_force": False,
    },
    "bransholme": {
        "purpose": "Co-operative learning in every school of the estate, rolled out in waves: "
        "the coaches of each wave come from the schools of the wave before.",
        "values": "A programme the network owns; leadership grows as the approach spreads.",
        "foci": [
            _focus(
                "Co-operative learning in every school",
                "Every primary school and the high school teach through co-operative learning, "
                "so that children feeding into the high school meet the same approach.",
                "All pupils in every primary school and Year 7 in the high school",
                "Co-operative learning structures are seen in every classroom on learning walks.",
                "Coaches from each wave lead staff meetings and work alongside teachers; the "
                "structures teachers learn are those pupils use in lessons.",
                goals=[
                    _goal(
                        "Classrooms where pupils were seen learning co-operatively",
                        "% of classrooms",
                        20,
                        90,
                        [(D(2004, 7, 1), 45), (D(2005, 7, 1), 70)],
                    )
                ],
            )
        ],
        "commitments": [ATTENDANCE],
        "in_force": True,
    },
    "matatahi-kahui-ako": {
        "purpose": "A kindergarten, four primary schools, an intermediate and a college along one "
        "learning pathway share achievement challenges and lateral accountability.",
        "values": "Ākonga, whānau and kaiako are partners in learning; we hold ourselves "
        "accountable to one another.",
        "foci": [
            _focus(
                "Writing: every ākonga writes with confidence from Year 1 to Year 10",
                "Writing lags behind reading across the pathway, most for Māori and Pasifika "
                "ākonga. Every kura will use one writing progression and moderate together.",
                "All ākonga in Years 1 to 10 along the pathway",
                "Writing samples moderated across kura show progress at every year level, and "
                "ākonga can say what their next step is.",
                "Across-community teachers lead Spirals of Inquiry with kaiako; what kaiako learn "
                "about feedback changes how ākonga are taught to revise.",
                groups="Māori and Pasifika ākonga",
                goals=[
                    _goal(
                        "Ākonga at or above the expected curriculum level in writing",
                        "% of ākonga",
                        64,
                        80,
                        [(D(2017, 12, 1), 66), (D(2018, 12, 1), 70)],
                        start=D(2016, 12, 1),
                        end=D(2019, 12, 1),
                    )
                ],
            ),
            _focus(
                "Transition from intermediate to college",
                "Ākonga moving into Year 9 keep their learning momentum and sense of belonging.",
                "All ākonga in Years 8 and 9",
                "Year 9 ākonga report belonging and their achievement holds across the move.",
                "Kaiako from the intermediate and the college observe one another's classes and "
                "plan shared units for ākonga.",
                goals=[
                    _goal(
                        "Year 9 ākonga who report a strong sense of belonging",
                        "% of ākonga",
                        58,
                        75,
                        [(D(2018, 6, 1), 63)],
                        start=D(2017, 3, 1),
                        end=D(2019, 12, 1),
                    )
                ],
            ),
        ],
        "commitments": [
            {
                "text": "Every kura shares its achievement data with the Kāhui Ako each term.",
                "binds": "Every member kura, through its principal",
                "how_checked": "The lead principal reports to the stewardship group each term.",
            }
        ],
        "in_force": True,
    },
}


def _sign_all(version, network, admin) -> None:
    """Each member school with a lead signs as its lead; the rest, for the demo, by the admin."""
    member_ids = network_selectors.member_school_ids(network=network)
    leads = {
        post.school_id: post.person
        for post in network_selectors.lead_posts_of_schools(schools=member_ids).order_by(
            "school__name", "job_title"
        )
    }
    for membership in network_selectors.current_memberships(network=network):
        school = membership.school
        lead = leads.get(school.pk)
        services.sign_off(version=version, school=school, by=lead or admin)


def _build(network: Network, spec: dict, admin) -> None:
    charter = services.start_charter(
        network=network, by=admin, purpose=spec["purpose"], shared_values=spec["values"]
    )
    for focus_spec in spec["foci"]:
        group = None
        if focus_spec["lead"]:
            group = (
                network_selectors.groups_of(network=network)
                .filter(name__icontains=focus_spec["lead"])
                .first()
            )
        values = {
            key: focus_spec[key]
            for key in (
                "title",
                "description",
                "pupils",
                "pupil_groups",
                "visible_when_achieved",
                "adult_learning_link",
            )
        }
        focus = services.add_focus(charter=charter, by=admin, lead_group=group, **values)
        for goal_spec in focus_spec["goals"]:
            goal = services.add_goal(
                focus=focus,
                by=admin,
                measure=goal_spec["measure"],
                unit=goal_spec["unit"],
                baseline_value=goal_spec["baseline"][0],
                baseline_date=goal_spec["baseline"][1],
                target_value=goal_spec["target"][0],
                target_date=goal_spec["target"][1],
                source_note="Demo figures (fictional)",
            )
            for day, value in goal_spec["progress"]:
                services.record_progress(goal=goal, by=admin, measured_on=day, value=value)
    for commitment in spec["commitments"]:
        services.add_commitment(charter=charter, by=admin, **commitment)
    version = charter.versions.order_by("-number").first()
    services.propose_version(version=version, by=admin)
    if spec["in_force"]:
        _sign_all(version, network, admin)


def load(*, admin) -> None:
    for slug, spec in CHARTERS.items():
        network = network_selectors.network_with_slug(slug=slug)
        if network is None or Charter.objects.filter(network=network).exists():
            continue
        _build(network, spec, admin)
