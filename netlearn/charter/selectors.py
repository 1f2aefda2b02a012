"""Reads, always through the viewer's scope: another network's charter 404s like a missing one."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from netlearn.core.home import NEW, WAITING, HomeContext, HomeItem
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network

from . import charts, focus_check, policy, trajectory
from .models import (
    Charter,
    CharterVersion,
    Commitment,
    CommitmentKind,
    Digression,
    Goal,
    LearningFocus,
    ProgressEntry,
    SignOff,
)


def network_for(*, viewer, network_slug: str) -> Network:
    """The network, if the viewer may read its charter (pupils may not): its members, and the
    evaluators of a programme it consented to, who belong to no network (`policy`)."""
    network = network_selectors.network_with_slug(slug=network_slug)
    if network is None or not policy.can_view_charter(viewer, network):
        raise Http404
    return network


def charter_of(*, viewer, network: Network) -> Charter | None:
    charter = (
        Charter.objects.filter(policy.charter_scope(viewer))
        .select_related("in_force")
        .filter(network=network)
        .first()
    )
    if charter is not None:
        charter.network = network  # the one already read: no join for it again
    return charter


def charter_for(*, viewer, network: Network) -> Charter:
    charter = charter_of(viewer=viewer, network=network)
    if charter is None:
        raise Http404
    return charter


def _active_goals():
    return Goal.objects.filter(dropped_at__isnull=True).prefetch_related("progress")


def foci_of(*, charter: Charter) -> QuerySet[LearningFocus]:
    """The foci still in the charter, with their goals and progress loaded in a fixed number of
    queries, however many there are."""
    # Read through `charter.foci`, each focus's charter (and its network) is `charter`.
    return (
        charter.foci.filter(dropped_at__isnull=True)
        .select_related("lead_group")
        .prefetch_related(Prefetch("goals", queryset=_active_goals(), to_attr="active_goals"))
    )


def foci_of_network(*, network: Network) -> QuerySet[LearningFocus]:
    """Every focus of the network's charter, dropped or not."""
    return LearningFocus.objects.filter(charter__network=network)


def focus_standing(*, focus_id: int) -> dict | None:
    """The focus's network, when it was dropped and its title, read afresh from the database."""
    return (
        LearningFocus.objects.filter(pk=focus_id)
        .values("charter__network_id", "dropped_at", "title")
        .first()
    )


def focus_for(*, viewer, charter: Charter, focus_id: int) -> LearningFocus:
    foci = LearningFocus.objects.filter(policy.focus_scope(viewer), charter=charter)
    return get_object_or_404(
        foci.select_related("lead_group", "charter__network").prefetch_related(
            Prefetch("goals", queryset=_active_goals(), to_attr="active_goals")
        ),
        pk=focus_id,
    )


def focus_in_network(*, viewer, network: Network, focus_id: int) -> LearningFocus:
    """The focus of the network's charter, as `charter_for` then `focus_for` would find it (a
    404 when either would), in one query: for a page that shows the focus, not its charter."""
    foci = LearningFocus.objects.filter(policy.focus_scope(viewer), charter__network=network)
    focus = get_object_or_404(
        foci.select_related("charter").prefetch_related(
            Prefetch("goals", queryset=_active_goals(), to_attr="active_goals")
        ),
        pk=focus_id,
    )
    focus.charter.network = network  # the one already read: no join for it again
    return focus


def goals_of(*, focus: LearningFocus) -> QuerySet[Goal]:
    return _active_goals().filter(focus=focus)


def goal_for(*, viewer, charter: Charter, goal_id: int) -> Goal:
    goals = Goal.objects.filter(policy.goal_scope(viewer), focus__charter=charter)
    return get_object_or_404(
        goals.select_related("focus__charter__network").prefetch_related("progress"),
        pk=goal_id,
    )


def progress_of(*, goal: Goal) -> QuerySet[ProgressEntry]:
    return goal.progress.select_related("recorded_by").order_by("measured_on", "pk")


def entry_for(*, viewer, charter: Charter, entry_id: int) -> ProgressEntry:
    entries = ProgressEntry.objects.filter(
        policy.network_scope(viewer, field="goal__focus__charter__network_id"),
        goal__focus__charter=charter,
    )
    return get_object_or_404(entries, pk=entry_id)


def commitments_of(*, charter: Charter) -> QuerySet[Commitment]:
    return charter.commitments.all()


def commitment_for(*, viewer, charter: Charter, commitment_id: int) -> Commitment:
    commitments = Commitment.objects.filter(
        policy.network_scope(viewer, field="charter__network_id"), charter=charter
    )
    return get_object_or_404(commitments.select_related("charter__network"), pk=commitment_id)


def attendance_commitments(*, network: Network) -> QuerySet[Commitment]:
    """For the activities app: the network's attendance commitments and their thresholds."""
    return Commitment.objects.filter(
        charter__network=network, kind=CommitmentKind.ATTENDANCE
    ).order_by("attendance_threshold")


def versions_of(*, charter: Charter) -> QuerySet[CharterVersion]:
    return charter.versions.select_related("created_by", "proposed_by").order_by("-number")


def version_for(*, viewer, charter: Charter, version_id: int) -> CharterVersion:
    versions = CharterVersion.objects.filter(
        policy.network_scope(viewer, field="charter__network_id"), charter=charter
    )
    return get_object_or_404(
        versions.select_related("charter__network", "created_by", "proposed_by"), pk=version_id
    )


def version_numbered(*, charter: Charter, number) -> CharterVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return charter.versions.filter(number=number).first()


def digressions_of(*, charter: Charter) -> QuerySet[Digression]:
    return charter.digressions.select_related("recorded_by", "version")


def latest_digressions(*, charter: Charter, limit: int = 10) -> QuerySet[Digression]:
    """The latest digressions as the charter's page lists them: no one's name, so no join to
    the people who recorded them."""
    return charter.digressions.select_related("version").only(
        "charter_id", "kind", "what", "reason", "recorded_at", "version__number"
    )[:limit]


def latest_version(*, charter: Charter) -> CharterVersion | None:
    """The charter's latest version, for its number and where it stands (no text, no people)."""
    return (
        charter.versions.only("charter_id", "number", "proposed_at", "in_force_at")
        .order_by("-number")
        .first()
    )


# Goals with their status, checks of foci ----------------------------------------------------


@dataclass
class GoalView:
    goal: Goal
    entries: list
    status: trajectory.Status

    @cached_property
    def chart(self) -> trajectory.Chart:
        # Drawn only by the pages that show the chart; the charter's summary lists figures only.
        return trajectory.chart(self.goal, self.entries)

    @property
    def svg(self) -> str:
        return charts.goal_chart(self.goal, self.entries, self.chart)


def goal_view(goal: Goal) -> GoalView:
    entries = sorted(goal.progress.all(), key=lambda entry: (entry.measured_on, entry.pk))
    for entry in entries:
        entry.planned = trajectory.planned_value(goal, entry.measured_on)
    return GoalView(goal, entries, trajectory.status(goal, entries))


@dataclass
class FocusView:
    focus: LearningFocus
    goals: list[GoalView]
    checks: list[focus_check.CheckResult]

    @property
    def warnings(self) -> list[focus_check.CheckResult]:
        return [result for result in self.checks if not result.passed]


def focus_view(focus: LearningFocus) -> FocusView:
    if hasattr(focus, "active_goals"):
        goals = list(focus.active_goals)
    else:
        goals = list(goals_of(focus=focus))
    return FocusView(
        focus, [goal_view(goal) for goal in goals], focus_check.check(focus, goals=goals)
    )


# Sign-off -----------------------------------------------------------------------------------


@dataclass
class SchoolSignOff:
    school: object
    leads: list = field(default_factory=list)
    sign_off: SignOff | None = None
    can_sign: bool = False
    is_member: bool = True


def sign_off_table(*, viewer, version: CharterVersion) -> list[SchoolSignOff]:
    """Every current member school, its leads on Netlearn, and its sign-off of the version."""
    network = version.charter.network
    schools = list(network_selectors.schools_in_network(network=network).order_by("name"))
    signed = {
        sign_off.school_id: sign_off
        for sign_off in version.sign_offs.select_related("signed_by", "school")
    }
    leads: dict[int, list] = {}
    for post in network_selectors.lead_posts_of_schools(schools=schools):
        leads.setdefault(post.school_id, []).append(post.person)
    rows = [
        SchoolSignOff(
            school=school,
            leads=leads.get(school.pk, []),
            sign_off=signed.get(school.pk),
            can_sign=version.is_open_proposal
            and school.pk not in signed
            and policy.can_sign_off(viewer, network, school),
        )
        for school in schools
    ]
    # Schools that signed and have since left stay on the record.
    member_ids = {school.pk for school in schools}
    rows += [
        SchoolSignOff(school=sign_off.school, sign_off=sign_off, is_member=False)
        for school_id, sign_off in signed.items()
        if school_id not in member_ids
    ]
    return rows


def open_proposal(*, charter: Charter) -> CharterVersion | None:
    # Read through `charter.versions`, the proposal's charter (and its network) is `charter`.
    return charter.versions.filter(
        proposed_at__isnull=False, withdrawn_at__isnull=True, in_force_at__isnull=True
    ).first()


# A network's goals, for the apps whose records refer to them (enquiry) ---------------------


def goals_of_network(*, network: Network) -> QuerySet[Goal]:
    """Every goal of the network's charter, dropped ones too."""
    return Goal.objects.filter(focus__charter__network=network)


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """Proposals awaiting the sign-off of a school the person leads, and versions adopted since.

    Three queries whatever the number of networks: the led schools' memberships, the open
    proposals of those networks (with their sign-offs), the adoptions."""
    access = access_for(context.person)
    if access.person_id is None or access.is_pupil:
        return []
    items = []
    if context.network is None:
        network_ids = access.network_ids
        led = network_selectors.memberships_of_schools(school_ids=access.led_school_ids)
        led_by_network: dict[int, set[int]] = {}
        for network_id, school_id in led:
            if network_id in network_ids:
                led_by_network.setdefault(network_id, set()).add(school_id)
        if led_by_network:
            proposals = (
                CharterVersion.objects.filter(
                    charter__network_id__in=list(led_by_network),
                    proposed_at__isnull=False,
                    withdrawn_at__isnull=True,
                    in_force_at__isnull=True,
                )
                .select_related("charter__network")
                .prefetch_related(
                    Prefetch("sign_offs", queryset=SignOff.objects.only("school_id", "version_id"))
                )
                .order_by("-proposed_at")[: context.limit]
            )
            for version in proposals:
                network = version.charter.network
                signed = {sign_off.school_id for sign_off in version.sign_offs.all()}
                if led_by_network[network.pk] - signed:
                    items.append(
                        HomeItem(
                            section=WAITING,
                            kind="Charter",
                            title=f"Sign off {version} of the charter",
                            url=reverse("charter:version", args=[network.slug, version.pk]),
                            when=version.proposed_at,
                            network=network.name,
                        )
                    )
    else:
        network_ids = {context.network.pk}
    adopted = (
        CharterVersion.objects.filter(
            charter__network_id__in=list(network_ids), in_force_at__gt=context.since
        )
        .select_related("charter__network")
        .only("number", "in_force_at", "charter__network__slug", "charter__network__name")
        .order_by("-in_force_at")[: context.limit]
    )
    for version in adopted:
        network = version.charter.network
        items.append(
            HomeItem(
                section=NEW,
                kind="Charter",
                title=f"{version} of the charter came into force",
                url=reverse("charter:version", args=[network.slug, version.pk]),
                when=version.in_force_at,
                network=network.name,
            )
        )
    return items


def foci_of_networks(*, network_ids) -> QuerySet[LearningFocus]:
    """The foci still in the networks' charters, with their goals and progress, in a fixed
    number of queries however many networks (a programme's side-by-side page). Trusts the
    caller to have authorized every network."""
    return (
        LearningFocus.objects.filter(
            charter__network_id__in=list(network_ids), dropped_at__isnull=True
        )
        .select_related("lead_group", "charter__network")
        .prefetch_related(Prefetch("goals", queryset=_active_goals(), to_attr="active_goals"))
        .order_by("charter__network_id", "position", "pk")
    )
