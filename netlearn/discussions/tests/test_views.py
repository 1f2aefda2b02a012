import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.discussions import services
from netlearn.discussions.models import Moderation, Post, Report, Status, Thread
from netlearn.networks import services as network_services

from .factories import make_pupil, pupil_space, staff_space
from .test_services import XSS_PAYLOADS


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_pupil_sees_their_pupil_space_and_nothing_of_the_network(world):
    space = pupil_space(world)
    staff = staff_space(world)
    other = pupil_space(world, school=world.school_b, title="Birch council")
    client = client_for(world.pupil)
    home = client.get(reverse("discussions:home")).content.decode()
    assert space.title in home and staff.title not in home and other.title not in home
    assert client.get(space.get_absolute_url()).status_code == 200
    assert client.get(staff.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404
    page = reverse("discussions:network_spaces", args=[world.network.slug])
    assert client.get(page).status_code == 404
    assert "Staff moderate this space" in client.get(space.get_absolute_url()).content.decode()


def test_a_pupils_held_post_shows_as_waiting_and_then_published(world):
    space = pupil_space(world)
    client = client_for(world.pupil)
    response = client.post(
        reverse("discussions:start_thread", args=[space.pk]), {"title": "Ideas", "body": "Hi"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Waiting for a moderator" in page
    other = client_for(make_pupil(world.school_a, username="ola"))
    assert other.get(thread.get_absolute_url()).status_code == 404
    moderator = client_for(world.co_leader)
    queue = moderator.get(reverse("discussions:moderation", args=[world.network.slug]))
    assert "Hi" in queue.content.decode()
    post = thread.posts.get()
    moderator.post(reverse("discussions:moderate_post", args=[post.pk]), {"decision": "approve"})
    assert other.get(thread.get_absolute_url()).status_code == 200


def test_a_non_moderator_cannot_moderate(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="there")
    post = thread.posts.get()
    response = client_for(world.pupil).post(
        reverse("discussions:moderate_post", args=[post.pk]), {"decision": "remove"}
    )
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_every_published_pupil_post_has_a_report_link_and_reports_reach_the_queue(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="mean")
    post = thread.posts.get()
    other = client_for(make_pupil(world.school_a, username="ola"))
    page = other.get(thread.get_absolute_url()).content.decode()
    report_url = reverse("discussions:report_post", args=[post.pk])
    assert report_url in page
    assert other.post(report_url, {}).status_code == 400
    assert not Report.objects.exists()
    assert other.post(report_url, {"reason": "unkind"}).status_code == 302
    queue = client_for(world.co_leader).get(
        reverse("discussions:moderation", args=[world.network.slug])
    )
    assert "It is unkind or bullying" in queue.content.decode()


def test_an_empty_post_gets_a_clear_message_and_changes_nothing(world):
    space = staff_space(world)
    response = client_for(world.teacher).post(
        reverse("discussions:start_thread", args=[space.pk]), {"title": "Hi", "body": " "}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Thread.objects.exists()


@override_settings(DISCUSSION_PUPIL_POST_LIMIT=1)
def test_posting_too_fast_answers_429_with_a_clear_message(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    client = client_for(world.pupil)
    url = reverse("discussions:start_thread", args=[space.pk])
    assert client.post(url, {"title": "One", "body": "1"}).status_code == 302
    response = client.post(url, {"title": "Two", "body": "2"})
    assert response.status_code == 429
    assert "Wait a few minutes" in response.content.decode()
    assert Thread.objects.count() == 1


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_script_in_titles_names_and_posts_is_neutralised(world, payload):
    space = services.open_space(network=world.network, by=world.co_leader, title=payload)
    world.teacher.name = payload
    world.teacher.save()
    thread = services.start_thread(space=space, by=world.teacher, title=payload, body=payload)
    client = client_for(world.co_leader)
    for url in (space.get_absolute_url(), thread.get_absolute_url(), reverse("discussions:home")):
        html = client.get(url).content.decode().lower()
        assert "<script>alert" not in html and 'onerror="alert' not in html
        assert "<svg onload" not in html and 'href="javascript:' not in html
        assert "<iframe" not in html


def _page_queries(client, url, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_list_pages_use_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    space = pupil_space(world, moderation=Moderation.NONE)
    pupils = [make_pupil(world.school_a, username=f"q{n}") for n in range(3)]
    for pupil in pupils:
        thread = services.start_thread(space=space, by=pupil, title="T", body="b")
        services.reply(thread=thread, by=world.co_leader, body="reply")
    thread = Thread.objects.first()
    held_space = pupil_space(world, title="Held")
    services.start_thread(space=held_space, by=pupils[0], title="Held", body="held")
    services.report(by=world.co_leader, post=thread.posts.first(), reason="other")
    urls = [
        space.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("discussions:home"),
        reverse("discussions:network_spaces", args=[world.network.slug]),
        reverse("discussions:moderation", args=[world.network.slug]),
        reverse("discussions:moderation_log", args=[world.network.slug]),
        reverse("discussions:pupils", args=[world.school_a.pk]),
    ]
    client = client_for(world.co_leader)
    counts_few = []
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts_few.append(len(few))
    for n in range(10):
        pupil = make_pupil(world.school_a, username=f"more{n}")
        more = services.start_thread(space=space, by=pupil, title="T", body="b")
        services.reply(thread=more, by=pupil, body="held?")
        services.reply(thread=thread, by=pupil, body="more")
        services.report(by=world.co_leader, post=more.posts.first(), reason="other")
        services.start_thread(space=held_space, by=pupil, title="Held", body="held")
    for url, bound in zip(urls, counts_few, strict=True):
        _page_queries(client, url, django_assert_max_num_queries, bound)


def test_pupil_import_prints_slips_and_a_bad_file_changes_nothing(world):
    client = client_for(world.co_leader)  # holds a post at Alder
    url = reverse("discussions:import_pupils", args=[world.school_a.pk])
    bad = SimpleUploadedFile("p.csv", b"first name,year group,class\nAmara,,7B\n")
    before = Person.objects.count()
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "Row 2, column “year group”" in response.content.decode()
    assert Person.objects.count() == before
    good = SimpleUploadedFile("p.csv", b"first name,year group,class\nAmara,7,7B\nBen,7,7B\n")
    response = client.post(url, {"file": good})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="slip"') == 2 and "slip-password" in html
    assert Person.objects.count() == before + 2
    assert (
        client_for(world.school_lead)
        .get(reverse("discussions:pupils", args=[world.school_a.pk]))
        .status_code
        == 404
    )


def test_an_oversize_pupil_file_is_refused(world):
    client = client_for(world.co_leader)
    url = reverse("discussions:import_pupils", args=[world.school_a.pk])
    big = SimpleUploadedFile("p.csv", b"first name,year group,class\n" + b"A,7,7B\n" * 40000)
    response = client.post(url, {"file": big})
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_staff_reset_a_pupils_password_on_a_slip(world):
    client = client_for(world.co_leader)
    url = reverse("discussions:reset_password", args=[world.school_a.pk, world.pupil.pk])
    response = client.post(url)
    assert response.status_code == 200 and "slip-password" in response.content.decode()


def test_votes_are_hidden_until_the_poll_closes(world):
    from .factories import in_days

    space = pupil_space(world)
    poll = services.create_poll(
        space=space, by=world.co_leader, question="Which club?", options=["A", "B"],
        closes_at=in_days(2),
    )  # fmt: skip
    client = client_for(world.pupil)
    response = client.post(
        reverse("discussions:vote", args=[poll.pk]), {"option": poll.options.first().pk}
    )
    assert response.status_code == 302
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Results appear when the poll closes" in page and "You have voted" in page
    assert (
        client.post(
            reverse("discussions:vote", args=[poll.pk]), {"option": poll.options.last().pk}
        ).status_code
        == 400
    )
    assert Post.objects.count() == 0


def test_an_external_partner_reads_the_staff_room_but_does_not_post_there(world):
    # Issue 14: a facilitator supports the network; they post where a co-leader made them
    # a group's member, not in the staff room everyone reads.
    room = staff_space(world, title="Staff room")
    thread = services.start_thread(space=room, by=world.co_leader, title="Hello", body="Hi")
    group_room = staff_space(world, title="Writing group room")
    group_room.group = world.group
    group_room.save()
    client = client_for(world.partner)
    page = client.get(room.get_absolute_url())
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # no thread form offered
    start = reverse("discussions:start_thread", args=[room.pk])
    assert client.post(start, {"title": "Mine", "body": "Hello"}).status_code == 403
    answer = reverse("discussions:reply", args=[thread.pk])
    assert client.post(answer, {"body": "Hello"}).status_code == 403
    assert Thread.objects.filter(space=room).count() == 1
    assert Post.objects.filter(thread__space=room).count() == 1
    network_services.add_group_member(group=world.group, person=world.partner, by=world.admin)
    group_start = reverse("discussions:start_thread", args=[group_room.pk])
    response = client_for(world.partner).post(group_start, {"title": "Plan", "body": "Ideas"})
    assert response.status_code == 302


def test_reloading_after_a_form_error_goes_back_to_the_form_not_405(world):
    # Issue 14: the error page's URL is one a reload, bookmark or shared link opens with GET.
    room = staff_space(world)
    thread = services.start_thread(space=room, by=world.co_leader, title="Hello", body="Hi")
    client = client_for(world.teacher)
    start = reverse("discussions:start_thread", args=[room.pk])
    answer = reverse("discussions:reply", args=[thread.pk])
    assert client.post(start, {"title": "", "body": ""}).status_code == 400
    reloaded = client.get(start)
    assert reloaded.status_code == 302 and reloaded.url == room.get_absolute_url()
    assert client.post(answer, {"body": ""}).status_code == 400
    reloaded = client.get(answer)
    assert reloaded.status_code == 302 and reloaded.url == thread.get_absolute_url()
    assert Thread.objects.count() == 1 and Post.objects.count() == 1
    pupils = reverse("discussions:import_pupils", args=[world.school_c.pk])
    reloaded = client.get(pupils)
    assert reloaded.status_code == 302
    assert reloaded.url == reverse("discussions:pupils", args=[world.school_c.pk])
    # Another network's space answers GET as it answers POST: not found.
    foreign = staff_space(world, network=world.foreign_network, by=world.foreign_co_leader)
    assert client.get(reverse("discussions:start_thread", args=[foreign.pk])).status_code == 404
