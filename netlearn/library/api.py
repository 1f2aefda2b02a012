"""The library part of the JSON API: resources, trials and search, through the policy.

Reads go through selectors scoped to the viewer (another network's resource answers 404); writes
go through services, which check the policy (403) and the library's rules (400). Files are
uploaded through the pages (multipart); the API lists them with their extraction status.
"""

import datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Pages, Text

from . import policy, selectors, services
from .models import Licence, ResourceKind, Sharing, Stage, Subject

router = Router(tags=["library"])
NO_NUL = r"^[^\x00]*$"


# Schemas ------------------------------------------------------------------------------------


class ResourceFileOut(Schema):
    id: int
    original_name: str
    type: str = Field(..., alias="type_label")
    size: int
    version: int
    is_current: bool
    extraction_status: str
    uploaded_at: datetime.datetime


class ResourceOut(Schema):
    id: int
    title: str
    summary: str
    kind: ResourceKind
    link: str
    stages: list[Stage]
    subjects: list[Subject]
    learning_focus: str
    focus_id: int | None = Field(None, description="The charter's learning focus it serves.")
    tags: list[str]
    licence: Licence
    sharing: Sharing
    network: str
    school: str
    author: str
    endorsed: bool
    featured: bool
    retired: bool
    schools_trialled: int
    trials: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_stages(resource) -> list[str]:
        return resource.stage_list

    @staticmethod
    def resolve_subjects(resource) -> list[str]:
        return resource.subject_list

    @staticmethod
    def resolve_tags(resource) -> list[str]:
        return resource.tag_list

    @staticmethod
    def resolve_network(resource) -> str:
        return resource.network.slug

    @staticmethod
    def resolve_school(resource) -> str:
        return resource.school.name

    @staticmethod
    def resolve_author(resource) -> str:
        return resource.author.name

    @staticmethod
    def resolve_endorsed(resource) -> bool:
        return resource.endorsed_at is not None

    @staticmethod
    def resolve_featured(resource) -> bool:
        return resource.featured_at is not None

    @staticmethod
    def resolve_retired(resource) -> bool:
        return resource.retired_at is not None

    @staticmethod
    def resolve_schools_trialled(resource) -> int:
        return resource.trial_school_count

    @staticmethod
    def resolve_trials(resource) -> int:
        return resource.trial_count


class ResourceDetailOut(ResourceOut):
    files: list[ResourceFileOut]
    can_change: bool
    can_trial: bool
    can_curate: bool

    @staticmethod
    def resolve_files(resource) -> list:
        return resource.file_rows

    @staticmethod
    def resolve_can_change(resource, context) -> bool:
        return policy.can_change_resource(context["request"].auth, resource)

    @staticmethod
    def resolve_can_trial(resource, context) -> bool:
        return policy.can_trial(context["request"].auth, resource)

    @staticmethod
    def resolve_can_curate(resource, context) -> bool:
        return policy.can_curate(context["request"].auth, resource)


class ResourceHitOut(ResourceOut):
    highlight: str = Field("", description="HTML: the matching passage, words in <mark>.")

    @staticmethod
    def resolve_highlight(resource) -> str:
        return str(getattr(resource, "highlight", "") or "")


class ResourceSearchOut(Schema):
    items: list[ResourceHitOut]
    count: int


class ResourceIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    summary: Text = Field("", max_length=20000)
    kind: ResourceKind = ResourceKind.LESSON_PLAN
    link: Text = Field("", max_length=500)
    stages: list[Stage] = Field(default_factory=list, max_length=20)
    subjects: list[Subject] = Field(default_factory=list, max_length=30)
    learning_focus: Text = Field("", max_length=200)
    focus_id: int | None = Field(None, description="A learning focus of the network's charter.")
    tags: Text = Field("", max_length=300)
    licence: Licence = Licence.CC_BY
    sharing: Sharing = Sharing.NETWORK


class ResourcePatch(Schema):
    title: Text = Field(None, min_length=1, max_length=200)
    summary: Text = Field(None, max_length=20000)
    kind: ResourceKind = None
    link: Text = Field(None, max_length=500)
    stages: list[Stage] = Field(None, max_length=20)
    subjects: list[Subject] = Field(None, max_length=30)
    learning_focus: Text = Field(None, max_length=200)
    focus_id: int = Field(None, description="A learning focus of the network's charter.")
    tags: Text = Field(None, max_length=300)
    licence: Licence = None
    sharing: Sharing = None


class ResourceTrialOut(Schema):
    id: int
    school: str
    teacher: str
    year_group: str
    class_size: int
    trialled_on: datetime.date
    how_it_went: str
    adaptations: str
    impact_rating: int
    ease_rating: int
    adaptability_rating: int
    would_recommend: bool

    @staticmethod
    def resolve_school(trial) -> str:
        return trial.school.name

    @staticmethod
    def resolve_teacher(trial) -> str:
        return trial.teacher.name


class ResourceTrialIn(Schema):
    year_group: Text = Field(..., min_length=1, max_length=60)
    class_size: int = Field(..., ge=1, le=500)
    trialled_on: datetime.date
    how_it_went: Text = Field(..., min_length=1, max_length=20000)
    adaptations: Text = Field("", max_length=20000)
    impact_rating: int = Field(..., ge=1, le=5)
    ease_rating: int = Field(..., ge=1, le=5)
    adaptability_rating: int = Field(..., ge=1, le=5)
    would_recommend: bool = True


class ResourceCurateIn(Schema):
    action: str = Field(..., pattern="^(feature|unfeature|retire|restore)$")


class ResourceFilters(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL)
    stage: Stage | None = None
    subject: Subject | None = None
    kind: ResourceKind | None = None
    endorsed: bool = False
    school: int | None = Field(None, ge=1, le=2**31)
    network: str = Field("", max_length=80, pattern=NO_NUL, description="A network's slug.")
    include_retired: bool = False


class LibraryPaging(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


# Helpers ------------------------------------------------------------------------------------


def _filters(viewer, filters: ResourceFilters) -> selectors.Filters:
    network_id = None
    if filters.network:
        network_id = (
            selectors.networks_to_share_with(viewer=viewer)
            .filter(slug=filters.network)
            .values_list("pk", flat=True)
            .first()
        ) or -1
    return selectors.Filters(
        q=filters.q,
        stage=filters.stage or "",
        subject=filters.subject or "",
        kind=filters.kind or "",
        endorsed=filters.endorsed,
        school=filters.school,
        network=network_id,
        include_retired=filters.include_retired,
    )


def _detail(request, resource):
    resource = selectors.resource_for(viewer=request.auth, resource_id=resource.pk)
    resource.file_rows = selectors.files_of(resource=resource)
    return resource


# Resources ----------------------------------------------------------------------------------


@router.get("/library/resources", response=list[ResourceOut])
@paginate(Pages)
def list_resources(request, filters: Query[ResourceFilters]):
    """Resources the viewer may see, newest first, featured and endorsed on top (no ranking:
    use /library/search for full-text search)."""
    chosen = _filters(request.auth, filters)
    chosen.q = ""
    return selectors.ordered(
        selectors.filtered(selectors.resources_for(viewer=request.auth), chosen)
    )


@router.get("/library/search", response=ResourceSearchOut)
def search_resources(request, filters: Query[ResourceFilters], paging: Query[LibraryPaging]):
    """Full-text search over titles, summaries, tags and the text inside files, ranked by
    relevance and endorsement, with highlights."""
    size = min(paging.page_size, settings.API_MAX_PAGE_SIZE)
    rows, count = selectors.find(
        selectors.visible_to(viewer=request.auth),
        _filters(request.auth, filters),
        offset=(paging.page - 1) * size,
        viewer=request.auth,
        limit=size,
    )
    return {"items": rows, "count": count}


@router.post("/networks/{network_slug}/library/resources", response={201: ResourceDetailOut})
def create_resource(request, network_slug: str, payload: ResourceIn):
    network = selectors.network_for(viewer=request.auth, network_slug=network_slug)
    resource = services.create_resource(network=network, by=request.auth, **payload.dict())
    return Status(201, _detail(request, resource))


@router.get("/library/resources/{resource_id}", response=ResourceDetailOut)
def get_resource(request, resource_id: int):
    return _detail(request, selectors.resource_for(viewer=request.auth, resource_id=resource_id))


@router.patch("/library/resources/{resource_id}", response=ResourceDetailOut)
def update_resource(request, resource_id: int, payload: ResourcePatch):
    resource = selectors.resource_for(viewer=request.auth, resource_id=resource_id)
    services.update_resource(
        resource=resource, by=request.auth, **payload.dict(exclude_unset=True, exclude_none=True)
    )
    return _detail(request, resource)


@router.post("/library/resources/{resource_id}/curate", response=ResourceDetailOut)
def curate_resource(request, resource_id: int, payload: ResourceCurateIn):
    resource = selectors.resource_for(viewer=request.auth, resource_id=resource_id)
    services.curate(resource=resource, by=request.auth, action=payload.action)
    return _detail(request, resource)


# Trials -------------------------------------------------------------------------------------


@router.get("/library/resources/{resource_id}/trials", response=list[ResourceTrialOut])
@paginate(Pages)
def list_trials(request, resource_id: int):
    resource = selectors.resource_for(viewer=request.auth, resource_id=resource_id)
    return selectors.trials_for(viewer=request.auth, resource=resource)


@router.post("/library/resources/{resource_id}/trials", response={201: ResourceTrialOut})
def record_trial(request, resource_id: int, payload: ResourceTrialIn):
    resource = selectors.resource_for(viewer=request.auth, resource_id=resource_id)
    trial = services.record_trial(resource=resource, by=request.auth, **payload.dict())
    return Status(201, trial)
