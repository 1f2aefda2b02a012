"""The notifications part of the JSON API: my notifications, mark read, my email choice."""

import datetime
from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages
from netlearn.core.home import SECTIONS, HomeFeed, network_feed
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services
from .models import Channel, EmailFrequency, NotificationKind

router = Router(tags=["notifications"])
KindValue = Literal[tuple(NotificationKind.values)]  # type: ignore[valid-type]
FrequencyValue = Literal[tuple(EmailFrequency.values)]  # type: ignore[valid-type]
ChannelValue = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
SectionValue = Literal[SECTIONS]  # type: ignore[valid-type]


class NotificationOut(Schema):
    id: int
    kind: KindValue
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationFilter(Schema):
    unread: bool = False


class NotificationCountOut(Schema):
    unread: int
    marked: int = 0


class EmailFrequencyIO(Schema):
    frequency: FrequencyValue


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages)
def list_notifications(request, filters: Query[NotificationFilter]):
    return selectors.notifications_for(viewer=request.auth, unread_only=filters.unread)


@router.post("/notifications/read-all", response=NotificationCountOut)
def mark_all_read(request):
    marked = services.mark_all_read(by=request.auth)
    return {"unread": selectors.unread_count(viewer=request.auth), "marked": marked}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request, notification_id: Id):
    notification = selectors.notification_for(viewer=request.auth, notification_id=notification_id)
    return services.mark_read(notification=notification, by=request.auth)


def _email_chooser(request):
    # Pupils have no email (docs/safety.md#pupil-spaces): for them the setting does not exist.
    if not policy.can_choose_email(request.auth):
        raise Http404
    return request.auth


@router.get("/notifications/email", response=EmailFrequencyIO)
def get_email_frequency(request):
    return {"frequency": services.frequency_for(_email_chooser(request))}


@router.put("/notifications/email", response=EmailFrequencyIO)
def set_email_frequency(request, payload: EmailFrequencyIO):
    _email_chooser(request)
    preference = services.set_email_frequency(person=request.auth, frequency=payload.frequency)
    return {"frequency": preference.frequency}


# Channels per kind ------------------------------------------------------------------------------


class KindChannelOut(Schema):
    kind: KindValue
    label: str
    channel: ChannelValue
    chosen: bool


class PreferencesOut(Schema):
    frequency: FrequencyValue
    channels: list[KindChannelOut]


class PreferencesIn(Schema):
    frequency: FrequencyValue | None = None
    channels: dict[KindValue, ChannelValue | None] = {}


def _preferences(person) -> dict:
    chosen = services.chosen_channels(person)
    labels = dict(NotificationKind.choices)
    return {
        "frequency": services.frequency_for(person),
        "channels": [
            {"kind": kind, "label": labels[kind], "channel": channel, "chosen": kind in chosen}
            for kind, channel in services.channels_for(person).items()
        ],
    }


@router.get("/notifications/preferences", response=PreferencesOut)
def get_preferences(request):
    """How often email comes, and each kind's channel (`chosen`: set by the person rather than
    following the frequency)."""
    return _preferences(_email_chooser(request))


@router.put("/notifications/preferences", response=PreferencesOut)
def set_preferences(request, payload: PreferencesIn):
    """Sets the frequency (if given) and channels per kind; a null channel follows the
    frequency again."""
    person = _email_chooser(request)
    if payload.frequency is not None:
        services.set_email_frequency(person=person, frequency=payload.frequency)
    if payload.channels:
        services.set_kind_channels(person=person, channels=dict(payload.channels))
    return _preferences(person)


# The home ----------------------------------------------------------------------------------------


class HomeItemOut(Schema):
    section: SectionValue
    kind: str
    title: str
    url: str
    when: datetime.datetime | None
    network: str


class HomeOut(Schema):
    count: int
    since: datetime.datetime | None
    waiting: list[HomeItemOut]
    coming: list[HomeItemOut]
    new: list[HomeItemOut]


def _home(feed: HomeFeed) -> dict:
    return {
        "count": len(feed.waiting) + len(feed.coming) + len(feed.new),
        "since": feed.since,
        "waiting": feed.waiting,
        "coming": feed.coming,
        "new": feed.new,
    }


@router.get("/home", response=HomeOut, tags=["home"])
def personal_home(request):
    """What needs me: waiting for me, coming up, new since my last visit to the home page."""
    return _home(selectors.home_for(viewer=request.auth))


@router.get("/networks/{slug:slug}/home", response=HomeOut, tags=["home"])
def network_home(request, slug: str):
    """A network's home: what is coming up and new in it (never another network's)."""
    network = network_selectors.network_for(viewer=request.auth, slug=slug)
    return _home(network_feed(person=request.auth, network=network))
