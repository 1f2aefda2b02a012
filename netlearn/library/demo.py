"""Network A's shared library (docs/seed-practices.md#library): resources across key stages,
trialled by other schools, some endorsed, for gifted and talented pupils, revision and the move
to Year 7.

`load(admin=...)` finds Network A by slug and skips it once it has resources, so running the demo
twice changes nothing. Everything is written through the services, as the network's own staff.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from netlearn.networks import selectors as network_selectors

from . import indexing, services
from .models import Sharing

SLUG = "network-a"
D = datetime.date

RESOURCES = [
    {
        "title": "Year 7 homework project: our local river",
        "summary": "A six-week independent homework project for Year 7 starters, with support "
        "pages and chatroom prompts, so pupils work more independently on an ambitious project.",
        "kind": "scheme_of_work",
        "stages": ["ks2", "ks3"],
        "subjects": ["geography", "science"],
        "learning_focus": "Transition",
        "tags": "transition, homework, independent learning",
        "text": "Week one: map the meander and the floodplain. Week two: measure the velocity "
        "of the river with an orange and a stopwatch. Pupils post questions to their teacher.",
        "trials": [5, 5, 4],
        "sharing": Sharing.PUBLIC,
    },
    {
        "title": "Thinking skills: odd one out starters",
        "summary": "Thirty 'odd one out' starters that make pupils give reasons, for any subject.",
        "kind": "lesson_plan",
        "stages": ["ks1", "ks2"],
        "subjects": ["cross_curricular"],
        "learning_focus": "Thinking skills",
        "tags": "thinking skills, starters, reasoning",
        "text": "Which is the odd one out: a penguin, an ostrich, a sparrow? Give two reasons. "
        "Classification and justification build the language of reasoning.",
        "trials": [5, 4],
    },
    {
        "title": "Primary French: greetings and numbers to twenty",
        "summary": "Songs, games and a short assessment for Year 3 and 4 French, taught by the "
        "secondary languages department in partner primaries.",
        "kind": "lesson_plan",
        "stages": ["ks2"],
        "subjects": ["languages"],
        "learning_focus": "Modern foreign languages",
        "tags": "French, primary languages",
        "text": "Bonjour, salut, au revoir. Count from un to vingt with the clapping game. "
        "Pupils record a greeting for their partner school.",
        "trials": [4, 5],
    },
    {
        "title": "GCSE revision: quadratic equations",
        "summary": "Revision booklet with worked examples, for pupils to reinforce what they "
        "should already have learned.",
        "kind": "worksheet",
        "stages": ["ks4"],
        "subjects": ["mathematics"],
        "learning_focus": "Raising attainment",
        "tags": "revision, algebra",
        "text": "Factorise, complete the square, or use the quadratic formula. The discriminant "
        "tells you how many real roots there are.",
        "trials": [4],
    },
    {
        "title": "Gifted and talented: Fibonacci in nature",
        "summary": "An enrichment investigation for able mathematicians across key stages.",
        "kind": "lesson_plan",
        "stages": ["ks2", "ks3"],
        "subjects": ["mathematics", "science"],
        "learning_focus": "Raising attainment",
        "tags": "gifted and talented, enrichment, sequences",
        "text": "Count the spirals on a pine cone and a sunflower head. Why do the numbers "
        "belong to the Fibonacci sequence? The golden ratio appears again.",
        "trials": [5, 5],
    },
    {
        "title": "Literacy: persuasive writing frames",
        "summary": "Writing frames and a marking ladder for persuasive letters.",
        "kind": "worksheet",
        "stages": ["ks2", "ks3"],
        "subjects": ["english"],
        "learning_focus": "Literacy",
        "tags": "writing, persuasion, literacy",
        "text": "Open with a rhetorical question. Use three reasons, each with evidence. "
        "Finish with a call to action.",
        "trials": [3, 4],
    },
    {
        "title": "A-level chemistry: titration practical assessment",
        "summary": "Practical assessment sheets shared by the colleges for Year 12.",
        "kind": "assessment",
        "stages": ["ks5"],
        "subjects": ["science"],
        "learning_focus": "Raising attainment",
        "tags": "practical, chemistry, assessment",
        "text": "Rinse the burette with the acid; record the concordant titres within 0.10 "
        "cubic centimetres; calculate the concentration.",
        "trials": [],
    },
    {
        "title": "Using the VLE with your class: a short guide",
        "summary": "How staff post their own materials to the shared learning environment, "
        "cascaded from School A's training.",
        "kind": "research_summary",
        "stages": ["ks1", "ks2", "ks3", "ks4", "ks5"],
        "subjects": ["computing"],
        "learning_focus": "Innovative use of information technology",
        "tags": "VLE, cascade training, ICT",
        "text": "Upload, tag by key stage, share with the network, ask colleagues in another "
        "school to trial it before it is featured.",
        "trials": [5, 4, 5],
        "feature": True,
    },
]


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _staff_by_school(network) -> list[tuple]:
    """One teacher per member school, in a fixed order, staff who are not pupils."""
    schools = (
        network_selectors.schools_in_network(network=network)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    chosen = []
    for school_id in schools:
        post = (
            network_selectors.current_posts_at_school(school_id=school_id)
            .exclude(person__kind="pupil")
            .select_related("person", "school")
            .order_by("pk")
            .first()
        )
        if post is not None:
            chosen.append((post.school, post.person))
    return chosen


def load(*, admin) -> None:
    network = network_selectors.network_with_slug(slug=SLUG)
    if network is None or network.resources.exists():
        return
    staff = _staff_by_school(network)
    if len(staff) < 4:
        return
    co_leader = network.roles.current().filter(role="co_leader").select_related("person").first()
    for index, spec in enumerate(RESOURCES):
        spec = dict(spec)
        school, author = staff[index % len(staff)]
        ratings = spec.pop("trials")
        text = spec.pop("text")
        feature = spec.pop("feature", False)
        name = spec["title"].split(":")[0].lower().replace(" ", "-") + ".pdf"
        resource = services.create_resource(
            network=network,
            by=author,
            upload=SimpleUploadedFile(name, _pdf(f"{spec['title']}\n\n{text}")),
            **spec,
        )
        for stored in resource.files.all():
            indexing.run_extraction(stored.pk)
        others = [pair for pair in staff if pair[0].pk != school.pk]
        for number, rating in enumerate(ratings):
            _, teacher = others[(index + number) % len(others)]
            services.record_trial(
                resource=resource,
                by=teacher,
                year_group="Year 7" if "ks3" in spec["stages"] else "Year 5",
                class_size=24 + number,
                trialled_on=D(2004, 3, 1) + datetime.timedelta(days=7 * (index + number)),
                how_it_went="Pupils were engaged; the most able went further than we planned.",
                adaptations="Shortened the first task for a mixed-ability class.",
                impact_rating=rating,
                ease_rating=rating,
                adaptability_rating=max(1, rating - (number % 2)),
            )
        if feature and co_leader is not None:
            services.curate(resource=resource, by=co_leader.person, action="feature")
