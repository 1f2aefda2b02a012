"""Discussion spaces for the seed networks (docs/seed-practices.md#discussions: Network A's
pupils discuss their work in spaces of their own, and polls canvass opinion for the council).

Network A gets its pupil chatrooms and a School Council poll; every seed network a staffroom;
the demo pupil ("pupil") a pupil space of their own school. The demo's extra pupils, who fill the
chatrooms and cast the poll's ballots, have no usable password (no new printed sign-in). A space
that exists already is left alone, so loading twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts import services as account_services
from netlearn.accounts.models import Kind, Person
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Role

from . import services
from .models import Audience, Moderation, Poll, PupilProfile, Space, Thread

STAFFROOM = "Staffroom"
CHATROOMS = (
    (
        "Year 7 homework project",
        "Work on the Year 7 homework project together: ask, share and help each other.",
        [
            ("How long should the project be?", "Does anyone know if we need pictures as well?"),
            ("Interviewing a grandparent", "I asked my gran about her first school. Tips?"),
        ],
    ),
    (
        "Science investigations",
        "Talk about your science investigation: what you tested and what you found out.",
        [("Which paper towel is strongest?", "We tested four kinds with wet marbles.")],
    ),
)
PUPIL_NAMES = ("Aisha", "Ben", "Caleb", "Dina", "Ewan", "Freya", "Gus", "Hana")


def _leader(network):
    return network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)


def _demo_pupils(network) -> list[Person]:
    school_ids = [row["school_id"] for row in network_selectors.member_school_ids(network=network)]
    pupils = []
    for index, name in enumerate(PUPIL_NAMES):
        username = f"{network.slug}.pupil{index + 1}"
        person = account_selectors.people_with_usernames([username]).first()
        if person is None:
            # No password: an unusable one, so nobody signs in as a seeded pupil.
            person = account_services.create_person(
                username=username,
                name=name,
                kind=Kind.PUPIL,
                pupil_school_id=school_ids[index % len(school_ids)],
                is_demo=True,
            )
            PupilProfile.objects.create(
                person=person, school_id=person.pupil_school_id, year_group=7, class_name="7R"
            )
        pupils.append(person)
    return pupils


def _staffroom(network, leader) -> None:
    if Space.objects.filter(network=network, title=STAFFROOM).exists():
        return
    space = services.open_space(
        network=network,
        by=leader,
        title=STAFFROOM,
        description="For the whole network's staff: questions, ideas and meeting notes.",
    )
    thread = services.start_thread(
        space=space,
        by=leader,
        title="Notes from our last meeting",
        body="The notes are posted here electronically, as we agreed. "
        "**Actions** are in bold; reply with anything I missed.",
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=timezone.now())
    if network.slug == "north-hartlepool":
        # A mention: the demo's teacher has a notification waiting.
        services.reply(
            thread=thread,
            by=leader,
            body="@teacher could your triad show its fractions research lesson at the sharing "
            "afternoon? The board from last time is attached.",
            attachments=[_board_photo()],
        )


def _board_photo():
    """A small picture made here (a whiteboard of fraction strips), as a post's attachment."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 140), "white")
    draw = ImageDraw.Draw(image)
    for row, parts in enumerate((1, 2, 3, 4)):
        width = 220 // parts
        for part in range(parts):
            left = 10 + part * width
            draw.rectangle([left, 10 + row * 30, left + width - 2, 34 + row * 30], outline="navy")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("fraction-strips.png", buffer.getvalue(), content_type="image/png")


def _whanau_space(network, leader) -> None:
    title = "Whānau and families"
    if (
        network.slug != "matatahi-kahui-ako"
        or Space.objects.filter(network=network, title=title).exists()
    ):
        return
    space = services.open_space(
        network=network,
        by=leader,
        title=title,
        description="For parents, families and whānau of every kura and school in the Kāhui Ako.",
        audience=Audience.PARENTS,
        moderation=Moderation.ALL_POSTS,
    )
    services.start_thread(
        space=space,
        by=leader,
        title="Oral language at home: what helps?",
        body="Our spiral of inquiry is looking at how children's talk carries from kindergarten "
        "into school. Tell us what works at home.",
    )


def _network_a(network, leader) -> None:
    pupils = _demo_pupils(network)
    for title, description, threads in CHATROOMS:
        if Space.objects.filter(network=network, title=title).exists():
            continue
        space = services.open_space(
            network=network,
            by=leader,
            title=title,
            description=description,
            audience=Audience.PUPILS,
            moderation=Moderation.ALL_POSTS,
        )
        for index, (thread_title, body) in enumerate(threads):
            thread = services.start_thread(
                space=space, by=pupils[index], title=thread_title, body=body
            )
            services.moderate_post(post=thread.posts.get(), by=leader, decision="approve")
            answer = services.reply(
                thread=thread, by=pupils[index + 2], body="Good question! I think so."
            )
            services.moderate_post(post=answer, by=leader, decision="approve")
        # One post waiting, so the moderation queue has something to show.
        services.start_thread(
            space=space, by=pupils[5], title="Can we add a class quiz?", body="Please?"
        )
    if Space.objects.filter(network=network, title="School Council").exists():
        return
    council = services.open_space(
        network=network,
        by=leader,
        title="School Council",
        description="Canvass opinions on topics for discussion in School Council.",
        audience=Audience.PUPILS,
        moderation=Moderation.ALL_POSTS,
    )
    closed = services.create_poll(
        space=council,
        by=leader,
        question="What should the School Council discuss first this term?",
        options=["Lunchtime clubs", "The homework timetable", "A quiet reading space"],
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    options = list(closed.options.all())
    for index, pupil in enumerate(pupils):
        services.vote(poll=closed, by=pupil, option=options[0 if index < 6 else 1])
    Poll.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    services.create_poll(
        space=council,
        by=leader,
        question="Which charity should our summer fair support?",
        options=["The local food bank", "The animal rescue centre", "The children's hospital"],
        closes_at=timezone.now() + datetime.timedelta(days=14),
    )


def _demo_pupils_own_space(admin) -> None:
    pupil = (
        account_selectors.people_with_usernames(["pupil"])
        .filter(kind=Kind.PUPIL)
        .select_related("pupil_school")
        .first()
    )
    if pupil is None or pupil.pupil_school is None:
        return
    membership = network_selectors.current_memberships_of_school(school=pupil.pupil_school).first()
    if membership is None:
        return
    network = membership.network
    title = f"{pupil.pupil_school.name} pupil voice"
    if Space.objects.filter(network=network, title=title).exists():
        return
    PupilProfile.objects.get_or_create(
        person=pupil, defaults={"school": pupil.pupil_school, "year_group": 6, "class_name": ""}
    )
    leader = _leader(network) or admin
    space = services.open_space(
        network=network,
        by=leader,
        title=title,
        description="Your school's space to share ideas with the school council.",
        audience=Audience.PUPILS,
        school=pupil.pupil_school,
        moderation=Moderation.ALL_POSTS,
    )
    services.start_thread(
        space=space,
        by=leader,
        title="Welcome!",
        body="This is your space to share ideas. Staff read every post before it appears.",
    )
    # Something for the demo pupil to do the moment they sign in.
    services.create_poll(
        space=space,
        by=leader,
        question="What should our school council ask for next?",
        options=["More books in the library", "A buddy bench", "Longer golden time"],
        closes_at=timezone.now() + datetime.timedelta(days=21),
    )


@transaction.atomic
def load(*, admin) -> None:
    for network in network_selectors.demo_networks():
        leader = _leader(network) or admin
        _staffroom(network, leader)
        _whanau_space(network, leader)
        if network.slug == "network-a":
            _network_a(network, leader)
    _demo_pupils_own_space(admin)
