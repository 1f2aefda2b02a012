"""The discussions part of the JSON API: spaces, threads, posts and reports.

Reads go through selectors scoped to the viewer (a pupil reaches only their own pupil spaces, as
on the pages); writes go through services, which check the policy (403), the space's rules (400)
and the posting rate (429). Polls are deliberately not in the API: their pages are the only way
in, so no export can ever carry a choice.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text

from . import policy, selectors, services
from .models import Audience, Moderation, ReportReason, SpaceKind
from .models import Status as PostStatus

router = Router(tags=["discussions"])
# Literals, not the models' enums: an enum's name (Audience, Status) is shared with other apps'
# enums in the OpenAPI document, where one name means one schema.
AudienceValue = Literal[tuple(Audience.values)]  # type: ignore[valid-type]
SpaceKindValue = Literal[tuple(SpaceKind.values)]  # type: ignore[valid-type]
ModerationValue = Literal[tuple(Moderation.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(PostStatus.values)]  # type: ignore[valid-type]
ReasonValue = Literal[tuple(ReportReason.values)]  # type: ignore[valid-type]


def _viewer(request):
    return request.auth


class DiscussionRef(Schema):
    id: int
    name: str


class DiscussionLimitDetail(Schema):
    detail: str


class DiscussionSpaceOut(Schema):
    id: int
    network: str
    title: str
    description: str
    audience: AudienceValue
    kind: SpaceKindValue
    school: DiscussionRef | None
    moderation: ModerationValue
    archived: bool

    @staticmethod
    def resolve_network(space) -> str:
        return space.network.slug

    @staticmethod
    def resolve_archived(space) -> bool:
        return space.archived_at is not None


class DiscussionThreadOut(Schema):
    id: int
    space_id: int
    title: str
    author: str
    status: StatusValue
    created_at: datetime.datetime
    last_activity_at: datetime.datetime

    @staticmethod
    def resolve_author(thread, context) -> str:
        return policy.name_seen_by(_viewer(context["request"]), thread.author)


class DiscussionAttachmentOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    type: str = Field(..., alias="type_label")
    size: int
    url: str

    @staticmethod
    def resolve_url(attachment) -> str:
        # The download page: served as an attachment with nosniff and a sandboxing policy.
        return attachment.get_absolute_url()


class DiscussionSubscriptionOut(Schema):
    id: int
    space_id: int | None
    thread_id: int | None
    created_at: datetime.datetime


class DiscussionPostOut(Schema):
    id: int
    thread_id: int
    author: str
    body: str
    body_html: str
    status: StatusValue
    quote_of: int | None
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    attachments: list[DiscussionAttachmentOut]

    @staticmethod
    def resolve_author(post, context) -> str:
        return policy.name_seen_by(_viewer(context["request"]), post.author)

    @staticmethod
    def resolve_attachments(post) -> list:
        return list(post.attachments.all())

    @staticmethod
    def resolve_quote_of(post) -> int | None:
        return post.quote_of_id


class DiscussionThreadIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    body: Text = Field(..., min_length=1, max_length=10000)


class DiscussionPostIn(Schema):
    body: Text = Field(..., min_length=1, max_length=10000)


class DiscussionReportIn(Schema):
    reason: ReasonValue
    details: Text = Field("", max_length=2000)


class DiscussionAcknowledgeIn(Schema):
    note: Text = Field("", max_length=500)


class DiscussionResolveIn(Schema):
    resolution: Text = Field(..., min_length=1, max_length=2000)


class DiscussionThreadSearch(Schema):
    q: Text = Field("", max_length=100)


class DiscussionReportOut(Schema):
    id: int
    reason: ReasonValue
    created_at: datetime.datetime


class DiscussionReportStepsOut(Schema):
    """A report as its moderators follow it: the NZ 48-hour step (`respond_by`, NZ networks only),
    acknowledged, resolved."""

    id: int
    reason: ReasonValue
    created_at: datetime.datetime
    respond_by: datetime.datetime | None
    acknowledged_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    resolution: str


@router.get("/discussions/spaces", response=list[DiscussionSpaceOut])
@paginate(Pages)
def list_spaces(request):
    return selectors.spaces_for(viewer=_viewer(request)).order_by("pk")


@router.get("/discussions/spaces/{space_id}", response=DiscussionSpaceOut)
def get_space(request, space_id: Id):
    return selectors.space_for(viewer=_viewer(request), space_id=space_id)


@router.get("/discussions/spaces/{space_id}/threads", response=list[DiscussionThreadOut])
@paginate(Pages)
def list_threads(request, space_id: Id, search: Query[DiscussionThreadSearch]):
    viewer = _viewer(request)
    space = selectors.space_for(viewer=viewer, space_id=space_id)
    return selectors.threads_in_space(viewer=viewer, space=space, search=search.q).order_by(
        "-last_activity_at", "-pk"
    )


@router.post(
    "/discussions/spaces/{space_id}/threads",
    response={201: DiscussionThreadOut, 429: DiscussionLimitDetail},
)
def start_thread(request, space_id: Id, payload: DiscussionThreadIn):
    viewer = _viewer(request)
    space = selectors.space_for(viewer=viewer, space_id=space_id)
    thread = services.start_thread(space=space, by=viewer, title=payload.title, body=payload.body)
    return Status(201, thread)


@router.get("/discussions/threads/{thread_id}", response=DiscussionThreadOut)
def get_thread(request, thread_id: Id):
    return selectors.thread_for(viewer=_viewer(request), thread_id=thread_id)


@router.get("/discussions/threads/{thread_id}/posts", response=list[DiscussionPostOut])
@paginate(Pages)
def list_posts(request, thread_id: Id):
    viewer = _viewer(request)
    thread = selectors.thread_for(viewer=viewer, thread_id=thread_id)
    return selectors.posts_of_thread(viewer=viewer, thread=thread).order_by("created_at", "pk")


@router.post(
    "/discussions/threads/{thread_id}/posts",
    response={201: DiscussionPostOut, 429: DiscussionLimitDetail},
)
def reply(request, thread_id: Id, payload: DiscussionPostIn):
    viewer = _viewer(request)
    thread = selectors.thread_for(viewer=viewer, thread_id=thread_id)
    post = services.reply(thread=thread, by=viewer, body=payload.body)
    return Status(201, post)


@router.get("/discussions/posts/{message_id}", response=DiscussionPostOut)
def get_post(request, message_id: Id):
    return selectors.post_for(viewer=_viewer(request), post_id=message_id)


@router.post("/discussions/posts/{message_id}/report", response={201: DiscussionReportOut})
def report_post(request, message_id: Id, payload: DiscussionReportIn):
    viewer = _viewer(request)
    post = selectors.post_for(viewer=viewer, post_id=message_id)
    made = services.report(by=viewer, post=post, reason=payload.reason, details=payload.details)
    return Status(201, made)


@router.post("/discussions/reports/{report_id}/acknowledge", response=DiscussionReportStepsOut)
def acknowledge_report(request, report_id: Id, payload: DiscussionAcknowledgeIn):
    """Only the report's moderators reach it (others: 404, as on the moderation pages)."""
    viewer = _viewer(request)
    found = selectors.report_for(viewer=viewer, report_id=report_id)
    return services.acknowledge_report(report=found, by=viewer, note=payload.note)


@router.post("/discussions/reports/{report_id}/resolve", response=DiscussionReportStepsOut)
def resolve_report(request, report_id: Id, payload: DiscussionResolveIn):
    viewer = _viewer(request)
    found = selectors.report_for(viewer=viewer, report_id=report_id)
    return services.resolve_report(report=found, by=viewer, resolution=payload.resolution)


@router.get("/discussions/posts/{message_id}/attachments", response=list[DiscussionAttachmentOut])
@paginate(Pages)
def list_attachments(request, message_id: Id):
    viewer = _viewer(request)
    post = selectors.post_for(viewer=viewer, post_id=message_id)
    return selectors.attachments_of(viewer=viewer, post=post)


@router.get("/discussions/subscriptions", response=list[DiscussionSubscriptionOut])
@paginate(Pages)
def list_subscriptions(request):
    return selectors.subscriptions_for(viewer=_viewer(request))


@router.post(
    "/discussions/spaces/{space_id}/subscription", response={201: DiscussionSubscriptionOut}
)
def follow_space(request, space_id: Id):
    viewer = _viewer(request)
    space = selectors.space_for(viewer=viewer, space_id=space_id)
    return Status(201, services.subscribe(by=viewer, space=space))


@router.delete("/discussions/spaces/{space_id}/subscription", response={204: None})
def unfollow_space(request, space_id: Id):
    viewer = _viewer(request)
    space = selectors.space_for(viewer=viewer, space_id=space_id)
    services.unsubscribe(by=viewer, space=space)
    return Status(204, None)


@router.post(
    "/discussions/threads/{thread_id}/subscription", response={201: DiscussionSubscriptionOut}
)
def follow_thread(request, thread_id: Id):
    viewer = _viewer(request)
    thread = selectors.thread_for(viewer=viewer, thread_id=thread_id)
    return Status(201, services.subscribe(by=viewer, thread=thread))


@router.delete("/discussions/threads/{thread_id}/subscription", response={204: None})
def unfollow_thread(request, thread_id: Id):
    viewer = _viewer(request)
    thread = selectors.thread_for(viewer=viewer, thread_id=thread_id)
    services.unsubscribe(by=viewer, thread=thread)
    return Status(204, None)
