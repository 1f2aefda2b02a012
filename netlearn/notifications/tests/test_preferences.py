"""A channel per kind of notification (in Netlearn only, email at once, digest), on the settings
page and in the API; the personal and network home feeds in the API."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from netlearn.charter import services as charter_services
from netlearn.charter.tests.factories import build_charter
from netlearn.networks.tests.world import SENTINEL
from netlearn.notifications import personal_data, services
from netlearn.notifications.errors import NotificationError
from netlearn.notifications.models import (
    Channel,
    EmailFrequency,
    KindPreference,
    Notification,
    NotificationKind,
)


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def teacher(world):
    world.teacher.email = "tia@alder.example"
    world.teacher.save()
    return world.teacher


def tell(person, kind, text="Something for you"):
    return services.notify(recipients=[person], kind=kind, text=text, url="/")


def test_without_a_choice_every_kind_follows_the_email_frequency(world, teacher):
    channels = services.channels_for(teacher)
    assert set(channels.values()) == {Channel.DIGEST}  # staff default: the daily digest
    services.set_email_frequency(person=teacher, frequency=EmailFrequency.IMMEDIATE)
    assert set(services.channels_for(teacher).values()) == {Channel.IMMEDIATE}
    assert set(services.channels_for(world.pupil).values()) == {Channel.IN_APP}


def test_a_kind_emailed_at_once_goes_at_once_and_the_rest_wait_for_the_digest(
    world, teacher, django_capture_on_commit_callbacks
):
    services.set_kind_channels(
        person=teacher,
        channels={
            NotificationKind.CHARTER_PROPOSED: Channel.IMMEDIATE,
            NotificationKind.TRIAL: Channel.IN_APP,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        tell(teacher, NotificationKind.CHARTER_PROPOSED, "Sign the charter")
        tell(teacher, NotificationKind.TRIAL, "A trial")
        tell(teacher, NotificationKind.MENTION, "A mention")
    assert [message.subject for message in mail.outbox] == ["Netlearn: Sign the charter"]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(period="daily") == 1
    digest = mail.outbox[1].body
    assert "A mention" in digest
    assert "A trial" not in digest and "Sign the charter" not in digest
    # Every notification still waits in the centre.
    assert Notification.objects.filter(recipient=teacher).count() == 3


def test_a_digest_kind_comes_daily_even_when_the_frequency_is_never(
    world, teacher, django_capture_on_commit_callbacks
):
    services.set_email_frequency(person=teacher, frequency=EmailFrequency.NEVER)
    services.set_kind_channels(
        person=teacher, channels={NotificationKind.ACTION_DUE: Channel.DIGEST}
    )
    tell(teacher, NotificationKind.ACTION_DUE, "Due tomorrow")
    tell(teacher, NotificationKind.MENTION, "A mention")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(period="weekly") == 0
        assert services.send_digests(period="daily") == 1
    assert "Due tomorrow" in mail.outbox[0].body and "A mention" not in mail.outbox[0].body


def test_an_empty_choice_returns_a_kind_to_the_frequency_and_bad_choices_change_nothing(
    world, teacher
):
    services.set_kind_channels(person=teacher, channels={NotificationKind.TRIAL: Channel.IN_APP})
    with pytest.raises(NotificationError):
        services.set_kind_channels(
            person=teacher,
            channels={NotificationKind.ENDORSEMENT: Channel.IN_APP, "gossip": Channel.DIGEST},
        )
    with pytest.raises(NotificationError):
        services.set_kind_channels(person=teacher, channels={NotificationKind.TRIAL: "pigeon"})
    assert services.chosen_channels(teacher) == {NotificationKind.TRIAL: Channel.IN_APP}
    services.set_kind_channels(person=teacher, channels={NotificationKind.TRIAL: ""})
    assert services.chosen_channels(teacher) == {}
    with pytest.raises(NotificationError, match="never get email"):
        services.set_kind_channels(
            person=world.pupil, channels={NotificationKind.TRIAL: Channel.IN_APP}
        )


def test_the_settings_page_saves_channels_per_kind(world, teacher):
    client = client_for(teacher)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Charter awaiting sign-off" in page
    response = client.post(
        reverse("notifications:settings"),
        {"save_channels": "1", "kind_charter_proposed": "immediate", "kind_trial": "in_app"},
    )
    assert response.status_code == 302
    assert services.chosen_channels(teacher) == {
        "charter_proposed": "immediate",
        "trial": "in_app",
    }
    bad = client.post(
        reverse("notifications:settings"), {"save_channels": "1", "kind_trial": "pigeon"}
    )
    assert bad.status_code == 400
    assert services.chosen_channels(teacher)["trial"] == "in_app"
    # The frequency form on the same page still works alone.
    client.post(reverse("notifications:settings"), {"frequency": "weekly"})
    assert services.frequency_for(teacher) == "weekly"
    assert len(services.chosen_channels(teacher)) == 2


def test_the_api_reads_and_sets_preferences(world, teacher):
    client = client_for(teacher)
    answer = client.get("/api/v1/notifications/preferences").json()
    assert answer["frequency"] == "daily"
    assert {row["kind"] for row in answer["channels"]} == set(NotificationKind.values)
    assert not any(row["chosen"] for row in answer["channels"])
    response = client.put(
        "/api/v1/notifications/preferences",
        {"frequency": "weekly", "channels": {"trial": "immediate", "mention": None}},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = {row["kind"]: row for row in response.json()["channels"]}
    assert rows["trial"] == {
        "kind": "trial",
        "label": "Trial of a resource",
        "channel": "immediate",
        "chosen": True,
    }
    assert rows["mention"]["channel"] == "digest" and not rows["mention"]["chosen"]
    bad = client.put(
        "/api/v1/notifications/preferences",
        {"channels": {"trial": "pigeon"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert client_for(world.pupil).get("/api/v1/notifications/preferences").status_code == 404


def test_channel_choices_are_exported_and_erased(world, teacher):
    services.set_kind_channels(person=teacher, channels={NotificationKind.TRIAL: Channel.IN_APP})
    exported = personal_data.export(teacher)
    assert exported["notifications.kindpreference"][0]["channel"] == "in_app"
    personal_data.erase(teacher)
    assert not KindPreference.objects.filter(person=teacher).exists()


def test_the_home_api_gives_my_feed_and_a_networks_feed_without_foreign_items(world):
    *_, version = build_charter(world.network, by=world.co_leader)
    charter_services.propose_version(version=version, by=world.co_leader)
    build_charter(world.foreign_network, by=world.foreign_co_leader, marker=SENTINEL)
    client = client_for(world.school_lead)
    home = client.get("/api/v1/home")
    assert home.status_code == 200
    waiting = home.json()["waiting"]
    assert waiting[0]["kind"] == "Charter" and waiting[0]["section"] == "waiting"
    assert home.json()["count"] >= 1
    network = client.get(f"/api/v1/networks/{world.network.slug}/home")
    assert network.status_code == 200 and network.json()["waiting"] == []
    assert client.get(f"/api/v1/networks/{world.foreign_network.slug}/home").status_code == 404
    assert SENTINEL not in home.content.decode() + network.content.decode()
    assert Client().get("/api/v1/home").status_code == 401
