"""Reads, always through the viewer's scope: another network's resource 404s like a missing one.

Resources come with what the policy reads (`shared_network_ids`, `viewer_curates`) and what the
pages show (trial counts, schools that trialled, mean rating) in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from netlearn.charter import selectors as charter_selectors
from netlearn.core.home import NEW, HomeContext, HomeItem
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Group, Network, School

from . import policy, search
from .models import (
    LibrarySettings,
    Resource,
    ResourceFile,
    ResourceShare,
    Trial,
)


def _annotated(resources: QuerySet[Resource], viewer) -> QuerySet[Resource]:
    person_id = access_for(viewer).person_id
    curator_groups = LibrarySettings.objects.filter(
        network_id=OuterRef(OuterRef("network_id")), curator_group__isnull=False
    ).values("curator_group_id")
    if person_id is None:
        curates = Value(False)
    else:
        curates = Exists(
            network_selectors.own_group_places(person_id=person_id).filter(
                group_id__in=curator_groups
            )
        )
    return (
        resources.select_related("network", "school", "author")
        .prefetch_related(
            Prefetch("shares", queryset=ResourceShare.objects.select_related("network"))
        )
        .annotate(
            trial_count=Count("trials", distinct=True),
            trial_school_count=Count(
                "trials__school", filter=~Q(trials__school=F("school")), distinct=True
            ),
            viewer_curates=curates,
            curator_viewer_id=Value(person_id, output_field=IntegerField()),
        )
    )


def _with_shared_ids(resources) -> list[Resource]:
    for resource in resources:
        resource.shared_network_ids = [share.network_id for share in resource.shares.all()]
    return resources


def prepare(resources) -> list[Resource]:
    """Sets what the policy reads on resources loaded through `resources_for`."""
    return _with_shared_ids(list(resources))


def visible_to(*, viewer) -> QuerySet[Resource]:
    """Plain (no figures): what search and counts run over."""
    return Resource.objects.filter(policy.resource_scope(viewer))


def resources_for(*, viewer) -> QuerySet[Resource]:
    return _annotated(visible_to(viewer=viewer), viewer)


def with_figures(resources: QuerySet[Resource], *, viewer) -> QuerySet[Resource]:
    """Adds what pages show and the policy reads; `viewer=None`: the public catalogue's."""
    if viewer is None:
        return _public_figures(resources)
    return _annotated(resources, viewer)


def resource_for(*, viewer, resource_id: int) -> Resource:
    resource = get_object_or_404(resources_for(viewer=viewer), pk=resource_id)
    return prepare([resource])[0]


def endorsed_serving(*, viewer, focus) -> QuerySet[Resource]:
    """Endorsed, current resources filed under the focus, as far as the viewer may see them:
    what the golden thread lists of them, without the figures and what the policy reads."""
    return (
        visible_to(viewer=viewer)
        .filter(focus=focus, endorsed_at__isnull=False, retired_at__isnull=True)
        .select_related("school")
        .only("title", "endorsed_at", "school__name")
        .order_by("-endorsed_at", "pk")
    )


def foci_to_file_under(*, network: Network, keep_id: int | None = None):
    """The foci a resource of the network may be filed under: those its charter still holds,
    and the one it is filed under already."""
    foci = charter_selectors.foci_of_network(network=network)
    return foci.filter(Q(dropped_at__isnull=True) | Q(pk=keep_id)).order_by("position", "pk")


def network_for(*, viewer, network_slug: str) -> Network:
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_library(viewer, network):
        raise Http404
    return network


def library_of(*, viewer, network: Network) -> QuerySet[Resource]:
    """What a network's library shows: its own resources and those shared with it (plain)."""
    shared = ResourceShare.objects.filter(network=network).values("resource_id")
    return visible_to(viewer=viewer).filter(Q(network=network) | Q(pk__in=shared))


def public_catalogue() -> QuerySet[Resource]:
    return Resource.objects.filter(policy.public_scope())


def public_resources() -> QuerySet[Resource]:
    return _public_figures(public_catalogue())


def _public_figures(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("network", "school").annotate(
        trial_count=Count("trials", distinct=True),
        trial_school_count=Count(
            "trials__school", filter=~Q(trials__school=F("school")), distinct=True
        ),
    )


def _card_figures(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    # The viewer's figures (curating, shares, the trial count) are for the resource's own page
    # and the API; a join less and no per-viewer subquery for each card, and only the columns
    # a card shows.
    only = ("title", "summary", "kind", "stages", "endorsed_at", "featured_at", "retired_at")
    return (
        resources.select_related("network", "school")
        .only(*only, "network__name", "school__name")
        .annotate(
            trial_school_count=Count(
                "trials__school", filter=~Q(trials__school=F("school")), distinct=True
            ),
        )
    )


def public_resource_for(*, resource_id: int) -> Resource:
    return get_object_or_404(public_resources(), pk=resource_id)


@dataclass
class Filters:
    q: str = ""
    stage: str = ""
    subject: str = ""
    kind: str = ""
    endorsed: bool = False
    school: int | None = None
    network: int | None = None
    include_retired: bool = False


def filtered(resources: QuerySet[Resource], filters: Filters) -> QuerySet[Resource]:
    if filters.stage:
        resources = resources.filter(stages__contains=f"|{filters.stage}|")
    if filters.subject:
        resources = resources.filter(subjects__contains=f"|{filters.subject}|")
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.endorsed:
        resources = resources.filter(endorsed_at__isnull=False)
    if filters.school:
        resources = resources.filter(school_id=filters.school)
    if filters.network:
        shared = ResourceShare.objects.filter(network_id=filters.network).values("resource_id")
        resources = resources.filter(Q(network_id=filters.network) | Q(pk__in=shared))
    if not filters.include_retired:
        resources = resources.filter(retired_at__isnull=True)
    return resources


def _narrowing(filters: Filters, *, viewer) -> search.Narrowing:
    """The index's hint of what `find`'s resources admit: the viewer's reach (no viewer: the
    public catalogue) and the filters. `resources` still decides."""
    network_ids, public = (frozenset(), True) if viewer is None else policy.resource_reach(viewer)
    return search.Narrowing(
        network_ids=network_ids,
        public=public,
        network=filters.network,
        kind=filters.kind,
        stage=filters.stage,
        subject=filters.subject,
        school=filters.school,
        endorsed=filters.endorsed,
        include_retired=filters.include_retired,
    )


def ordered(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """Without a query: featured first, then endorsed, then the newest."""
    return resources.order_by(
        F("featured_at").desc(nulls_last=True),
        F("endorsed_at").desc(nulls_last=True),
        "-updated_at",
        "-pk",
    )


def find(
    resources: QuerySet[Resource],
    filters: Filters,
    *,
    viewer,
    offset: int = 0,
    limit: int = 20,
    cards: bool = False,
):
    """A page of results from plain `resources` (`visible_to`, `library_of`,
    `public_catalogue`), ranked by relevance and endorsement when there is a query; the page's
    rows carry their figures (`with_figures`), or with `cards` only what a result's card shows
    (library/_results.html), which the policy does not read. Returns (rows, count)."""
    resources = filtered(resources, filters)
    if cards:
        loader = _card_figures(Resource.objects.all())
    else:
        loader = with_figures(Resource.objects.all(), viewer=viewer)
    if search.words_of(filters.q):
        page = search.search(
            resources,
            filters.q,
            offset=offset,
            limit=limit,
            loader=loader,
            narrowing=_narrowing(filters, viewer=viewer),
        )
        return page.resources, page.count
    ids = list(ordered(resources).values_list("pk", flat=True)[offset : offset + limit])
    by_id = {row.pk: row for row in loader.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id], resources.count()


def files_of(*, resource: Resource) -> list[ResourceFile]:
    return list(resource.files.select_related("uploaded_by").order_by("original_name", "-version"))


def file_for(*, resource: Resource, file_id: int) -> ResourceFile:
    return get_object_or_404(ResourceFile.objects.filter(resource=resource), pk=file_id)


def trials_for(*, viewer, resource: Resource) -> QuerySet[Trial]:
    """The trial reports the viewer may read (policy.trial_scope): members of the resource's
    network read them all; anyone else only their own."""
    return resource.trials.filter(policy.trial_scope(viewer, resource)).select_related(
        "teacher", "school"
    )


def trial_summary(*, resource: Resource) -> dict:
    trials = resource.trials.by_other_schools(resource)
    figures = trials.aggregate(
        count=Count("pk"),
        schools=Count("school", distinct=True),
        impact=Avg("impact_rating"),
        ease=Avg("ease_rating"),
        adaptability=Avg("adaptability_rating"),
        recommend=Count("pk", filter=Q(would_recommend=True)),
    )
    ratings = [figures[key] for key in ("impact", "ease", "adaptability")]
    figures["mean"] = (
        round(sum(ratings) / 3, 1) if all(value is not None for value in ratings) else None
    )
    return figures


def settings_for(*, network: Network) -> LibrarySettings:
    existing = LibrarySettings.objects.filter(network=network).select_related("curator_group")
    return existing.first() or LibrarySettings(network=network)


def groups_to_curate(*, network: Network) -> QuerySet[Group]:
    """The network's groups, one of which may curate its library."""
    return network_selectors.groups_of(network=network)


def schools_for_filter(*, viewer, network: Network) -> QuerySet[School]:
    return network_selectors.schools_in_network(network=network).order_by("name")


def networks_to_share_with(*, viewer) -> QuerySet[Network]:
    network_ids = access_for(viewer).network_ids
    return network_selectors.networks_with_ids(network_ids=network_ids).order_by("name")


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """New since `since`: trials of the person's own resources, and resources endorsed in their
    networks (or in the network of its home). Two queries."""
    access = access_for(context.person)
    if access.person_id is None or access.is_pupil:
        return []
    items = []
    if context.network is None:
        trials = (
            Trial.objects.filter(resource__author_id=access.person_id, created_at__gt=context.since)
            .select_related("resource__network", "school")
            .order_by("-created_at", "pk")[: context.limit]
        )
        items += [
            HomeItem(
                section=NEW,
                kind="Trial",
                title=f"{trial.school} trialled your resource {trial.resource.title}",
                url=trial.resource.get_absolute_url(),
                when=trial.created_at,
                network=trial.resource.network.name,
            )
            for trial in trials
        ]
        network_ids = list(access.network_ids)
    else:
        network_ids = [context.network.pk]
    endorsed = (
        Resource.objects.filter(
            policy.resource_scope(context.person),
            network_id__in=network_ids,
            endorsed_at__gt=context.since,
        )
        .select_related("network")
        .only("title", "endorsed_at", "network__name")
        .order_by("-endorsed_at", "pk")[: context.limit]
    )
    items += [
        HomeItem(
            section=NEW,
            kind="Endorsed",
            title=f"{resource.title} was endorsed",
            url=resource.get_absolute_url(),
            when=resource.endorsed_at,
            network=resource.network.name,
        )
        for resource in endorsed
    ]
    return items


def trials_across_schools(*, network: Network, since=None, until=None) -> list[tuple]:
    """(trial's teacher, resource's author, trial's school, resource's school) ids for each trial
    of one of the network's resources by another school, tried between `since` and `until` (dates
    or datetimes) when given: who learns from whose work, for the network's health. One query."""
    trials = Trial.objects.filter(resource__network=network).exclude(
        school_id=F("resource__school_id")
    )
    if since is not None:
        trials = trials.filter(trialled_on__gte=getattr(since, "date", lambda: since)())
    if until is not None:
        trials = trials.filter(trialled_on__lt=getattr(until, "date", lambda: until)())
    return list(
        trials.order_by("pk").values_list(
            "teacher_id", "resource__author_id", "school_id", "resource__school_id"
        )
    )
