"""Writes to the library: resources, files and versions, trials, endorsement, curation, settings.

Each service checks the policy itself, runs in one transaction, refuses bad input with a domain
error from `errors.py` before changing anything (a refused upload stores no file), keeps the
search index in step (`indexing.reindex`), stores images and video only without their metadata
(`cleaning.clean_upload`), and queues text extraction only once the upload
commits (`tasks.extract_file_text`): the upload never waits for its text.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext

from netlearn.charter import selectors as charter_selectors
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network, School
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import indexing, policy
from .cleaning import clean_upload
from .errors import (
    AlreadyTrialled,
    LibraryError,
    NoSchoolInNetwork,
    NotYourSchool,
    ResourceRetired,
    SharingOutsideNetworks,
)
from .indexing import queue_index_update, reindex
from .models import (
    CRITERIA,
    ExtractionStatus,
    LibrarySettings,
    Licence,
    Resource,
    ResourceFile,
    ResourceKind,
    ResourceShare,
    Sharing,
    Stage,
    Subject,
    Trial,
    join_codes,
)
from .uploads import inspect_upload

RESOURCE_FIELDS = (
    "title",
    "summary",
    "kind",
    "link",
    "stages",
    "subjects",
    "learning_focus",
    "tags",
    "licence",
    "sharing",
)
TEXT_LIMITS = {"title": 200, "learning_focus": 200, "tags": 300, "link": 500, "summary": 20000}


def _text(value, *, name: str, limit: int) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise LibraryError(
            gettext("The %(name)s holds a character that cannot be stored.") % {"name": name}
        )
    if len(value) > limit:
        raise LibraryError(
            gettext("The %(name)s may be at most %(limit)s characters.")
            % {"name": name, "limit": limit}
        )
    return value


def _codes(values, choices, *, name: str) -> str:
    values = list(values or [])
    allowed = set(choices.values)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise LibraryError(
            gettext("Unknown %(name)s: %(join)s.")
            % {"name": name, "join": ", ".join(map(str, unknown))}
        )
    return join_codes(dict.fromkeys(values))


def _clean_fields(values: dict) -> dict:
    clean = {}
    for name in RESOURCE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "stages":
            clean[name] = _codes(value, Stage, name="stage")
        elif name == "subjects":
            clean[name] = _codes(value, Subject, name="subject")
        elif name == "kind":
            if value not in ResourceKind.values:
                raise LibraryError(gettext("Choose a type of resource."))
            clean[name] = value
        elif name == "licence":
            if value not in Licence.values:
                raise LibraryError(gettext("Choose a licence."))
            clean[name] = value
        elif name == "sharing":
            if value not in Sharing.values:
                raise LibraryError(gettext("Choose who the resource is shared with."))
            clean[name] = value
        else:
            clean[name] = _text(value, name=name.replace("_", " "), limit=TEXT_LIMITS.get(name))
    if "title" in clean and not clean["title"]:
        raise LibraryError(gettext("Give the resource a title."))
    if "link" in clean and clean["link"] and not clean["link"].startswith(("https://", "http://")):
        raise LibraryError(gettext("A web link starts with https:// or http://."))
    return clean


def _focus_id(value, network: Network, *, keep: int | None = None) -> int | None:
    """A focus of the network's charter that it still holds (or the one already filed under);
    None files the resource under no focus."""
    if value in (None, ""):
        return None
    try:
        focus_id = int(value)
    except (TypeError, ValueError):
        raise LibraryError(gettext("Choose a learning focus of this network's charter.")) from None
    if focus_id == keep:
        return focus_id
    foci = charter_selectors.foci_of_network(network=network).filter(dropped_at__isnull=True)
    if not foci.filter(pk=focus_id).exists():
        raise LibraryError(gettext("Choose a learning focus of this network's charter."))
    return focus_id


def _author_school(person, network: Network) -> School:
    """The person's school in the network: the resource is its school's, not only theirs."""
    posts = person.staff_posts.current().filter(
        school__in=network_selectors.member_school_ids(network=network)
    )
    post = posts.select_related("school").order_by("started", "pk").first()
    if post is None:
        raise NoSchoolInNetwork(
            gettext("You need a post at a school of %(network)s to add resources.")
            % {"network": network}
        )
    return post.school


def _share(resource: Resource, network_ids, *, by) -> None:
    wanted = set(network_ids or []) - {resource.network_id}
    if resource.sharing != Sharing.NETWORKS:
        wanted = set()
    reachable = set(access_for(by).network_ids) | set(
        resource.shares.values_list("network_id", flat=True)
    )
    if not access_for(by).is_site_admin and wanted - reachable:
        raise SharingOutsideNetworks(gettext("You can share only with networks you belong to."))
    if wanted and network_selectors.networks_with_ids(network_ids=wanted).count() != len(wanted):
        raise SharingOutsideNetworks(gettext("One of those networks does not exist."))
    resource.shares.exclude(network_id__in=wanted).delete()
    existing = set(resource.shares.values_list("network_id", flat=True))
    ResourceShare.objects.bulk_create(
        ResourceShare(resource=resource, network_id=network_id) for network_id in wanted - existing
    )


# Search ------------------------------------------------------------------------------------


@transaction.atomic
def reindex_all(*, database: bool = True) -> int:
    """Rebuilds library search for every resource, in one transaction (searches meanwhile see
    the old index): `netlearn reindex`, and `netlearn restore` after it, since a copy of the
    tables between databases (dumpdata/loaddata) carries neither SQLite's full-text table nor
    the embedded index (docs/operations.md#reindex). `database=False` rebuilds only the embedded
    index. Returns how many resources were indexed."""
    return indexing.reindex_all(database=database)


# Resources ----------------------------------------------------------------------------------


@transaction.atomic
def create_resource(
    *, network: Network, by, shared_with=(), upload=None, file_note: str = "", **values
) -> Resource:
    """Adds a resource to the network's library, with its first file if one is given."""
    require(policy.can_add_resource(by, network))
    clean = _clean_fields(values)
    if "title" not in clean:
        raise LibraryError(gettext("Give the resource a title."))
    cleaned = clean_upload(upload, inspect_upload(upload)) if upload is not None else None
    if "focus_id" in values:
        clean["focus_id"] = _focus_id(values["focus_id"], network)
    school = _author_school(by, network)
    resource = Resource.objects.create(network=network, author=by, school=school, **clean)
    _share(resource, shared_with, by=by)
    if cleaned is not None:
        _store_file(resource, cleaned, by=by, note=file_note)
    reindex(resource)
    return resource


@transaction.atomic
def update_resource(*, resource: Resource, by, shared_with=None, **values) -> Resource:
    require(policy.can_change_resource(by, resource))
    clean = _clean_fields(values)
    if "focus_id" in values:
        clean["focus_id"] = _focus_id(values["focus_id"], resource.network, keep=resource.focus_id)
    for name, value in clean.items():
        setattr(resource, name, value)
    resource.save()
    if shared_with is not None or "sharing" in clean:
        current = resource.shares.values_list("network_id", flat=True)
        _share(resource, shared_with if shared_with is not None else list(current), by=by)
    reindex(resource)
    return resource


def _store_file(resource, cleaned, *, by, note: str, previous=None) -> ResourceFile:
    checked = cleaned.checked
    stored = ResourceFile(
        resource=resource,
        original_name=checked.original_name,
        content_type=checked.kind.content_type,
        type_label=checked.kind.label,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        note=note,
        previous=previous,
        version=previous.version + 1 if previous else 1,
        extraction_status=ExtractionStatus.PENDING,
    )
    stored._detected_extension = checked.kind.extension
    stored.file.save("upload", cleaned.content, save=False)  # generated_file_name names it
    stored.save()
    after_commit("netlearn.library.tasks.extract_file_text", stored.pk)
    return stored


@transaction.atomic
def add_file(*, resource: Resource, by, upload, note: str = "", replaces=None) -> ResourceFile:
    """Adds a file, or a new version of one (`replaces`): the old version is kept, superseded."""
    require(policy.can_change_resource(by, resource))
    if resource.is_retired:
        raise ResourceRetired(gettext("A retired resource takes no new files."))
    note = _text(note, name=gettext("note"), limit=300)
    if replaces is not None:
        replaces = ResourceFile.objects.select_for_update().get(pk=replaces.pk)
        if replaces.resource_id != resource.pk or not replaces.is_current:
            raise LibraryError(
                gettext("Only a current file of this resource can get a new version.")
            )
    cleaned = clean_upload(upload, inspect_upload(upload))
    if replaces is not None:
        replaces.superseded_at = timezone.now()
        replaces.save(update_fields=["superseded_at"])
    stored = _store_file(resource, cleaned, by=by, note=note, previous=replaces)
    Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())
    reindex(resource)
    return stored


# Trials and endorsement ---------------------------------------------------------------------


def _trial_school(person, resource: Resource) -> School:
    posts = person.staff_posts.current().exclude(school_id=resource.school_id)
    in_network = posts.filter(
        school__in=network_selectors.member_school_ids(network=resource.network_id)
    )
    post = in_network.select_related("school").first() or posts.select_related("school").first()
    if post is None:
        raise NotYourSchool(gettext("Trials come from schools other than the author's."))
    return post.school


@transaction.atomic
def record_trial(
    *,
    resource: Resource,
    by,
    year_group: str,
    class_size: int,
    trialled_on: datetime.date,
    how_it_went: str,
    impact_rating: int,
    ease_rating: int,
    adaptability_rating: int,
    adaptations: str = "",
    would_recommend: bool = True,
) -> Trial:
    """A teacher of another school reports a trial; the endorsement rule is then re-checked."""
    require(policy.can_trial(by, resource))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    year_group = _text(year_group, name=gettext("class"), limit=60)
    how_it_went = _text(how_it_went, name=gettext("account of how it went"), limit=20000)
    adaptations = _text(adaptations, name=gettext("adaptations"), limit=20000)
    if not year_group or not how_it_went:
        raise LibraryError(gettext("Say which class took part and how it went."))
    if not 1 <= int(class_size) <= 500:
        raise LibraryError(gettext("A class has between 1 and 500 pupils."))
    ratings = {
        "impact_rating": impact_rating,
        "ease_rating": ease_rating,
        "adaptability_rating": adaptability_rating,
    }
    for name, label in CRITERIA:
        if not 1 <= int(ratings[name]) <= 5:
            raise LibraryError(gettext("Rate %(lower)s from 1 to 5.") % {"lower": label.lower()})
    if trialled_on > timezone.localdate():
        raise LibraryError(
            gettext("A trial is recorded after it happened: the date is in the future.")
        )
    if trialled_on.year < 2000:
        raise LibraryError(gettext("Give a date from 2000 on."))
    if resource.trials.filter(teacher=by).exists():
        raise AlreadyTrialled(gettext("You have already recorded a trial of this resource."))
    trial = Trial.objects.create(
        resource=resource,
        teacher=by,
        school=_trial_school(by, resource),
        year_group=year_group,
        class_size=int(class_size),
        trialled_on=trialled_on,
        how_it_went=how_it_went,
        adaptations=adaptations,
        would_recommend=bool(would_recommend),
        **{name: int(value) for name, value in ratings.items()},
    )
    refresh_endorsement(resource=resource)
    notifications.notify_on_commit(
        recipients=[resource.author],
        kind=NotificationKind.TRIAL,
        text=f"{trial.school} trialled your resource “{resource.title}” and reported back",
        url=resource.get_absolute_url(),
        exclude=by,
    )
    return trial


def meets_rule(resource: Resource, rule: LibrarySettings) -> bool:
    """The network's rule (docs/seed-practices.md#library): enough good trials, from enough
    schools, not the author's."""
    figures = (
        Trial.objects.by_other_schools(resource)
        .filter(resource=resource)
        .aggregate(
            count=Count("pk"),
            schools=Count("school", distinct=True),
            impact=Avg("impact_rating"),
            ease=Avg("ease_rating"),
            adaptability=Avg("adaptability_rating"),
        )
    )
    if figures["count"] < rule.min_trials or figures["schools"] < rule.min_schools:
        return False
    mean = (
        Decimal(str(figures["impact"]))
        + Decimal(str(figures["ease"]))
        + Decimal(str(figures["adaptability"]))
    ) / 3
    return mean >= rule.min_mean_rating


def refresh_endorsement(*, resource: Resource) -> Resource:
    """Sets or clears `endorsed_at` by the rule of the resource's network. Caller is atomic."""
    rule = LibrarySettings.objects.filter(network_id=resource.network_id).first()
    rule = rule or LibrarySettings(network_id=resource.network_id)
    endorsed = meets_rule(resource, rule)
    was_endorsed = resource.endorsed_at is not None
    if endorsed and resource.endorsed_at is None:
        resource.endorsed_at = timezone.now()
    elif not endorsed:
        resource.endorsed_at = None
    Resource.objects.filter(pk=resource.pk).update(endorsed_at=resource.endorsed_at)
    if endorsed != was_endorsed:  # search filters on endorsement and ranks it higher
        queue_index_update([resource.pk])
    if endorsed and not was_endorsed:
        notifications.notify_on_commit(
            recipients=[resource.author],
            kind=NotificationKind.ENDORSEMENT,
            text=f"Your resource “{resource.title}” is endorsed: schools trialled it well",
            url=resource.get_absolute_url(),
        )
    return resource


# Curation -----------------------------------------------------------------------------------


@transaction.atomic
def curate(*, resource: Resource, by, action: str) -> Resource:
    """feature, unfeature, retire or restore."""
    require(policy.can_curate(by, resource))
    now = timezone.now()
    changes = {
        "feature": {"featured_at": now},
        "unfeature": {"featured_at": None},
        "retire": {"retired_at": now, "featured_at": None},
        "restore": {"retired_at": None},
    }
    if action not in changes:
        raise LibraryError(gettext("Choose feature, unfeature, retire or restore."))
    for name, value in changes[action].items():
        setattr(resource, name, value)
    Resource.objects.filter(pk=resource.pk).update(**changes[action])
    queue_index_update([resource.pk])  # featuring ranks higher; retired ones leave search
    return resource


@transaction.atomic
def change_settings(
    *, network: Network, by, min_trials: int, min_schools: int, min_mean_rating, curator_group=None
) -> LibrarySettings:
    require(policy.can_change_settings(by, network))
    if not 1 <= int(min_trials) <= 50 or not 1 <= int(min_schools) <= 50:
        raise LibraryError(gettext("Trials and schools needed are between 1 and 50."))
    if int(min_schools) > int(min_trials):
        raise LibraryError(gettext("Each school brings at least one trial: schools ≤ trials."))
    rating = Decimal(str(min_mean_rating))
    if not Decimal(1) <= rating <= Decimal(5):
        raise LibraryError(gettext("The lowest mean rating is between 1 and 5."))
    if curator_group is not None and curator_group.network_id != network.pk:
        raise LibraryError(gettext("The library group must be a group of this network."))
    rule, _ = LibrarySettings.objects.update_or_create(
        network=network,
        defaults={
            "min_trials": int(min_trials),
            "min_schools": int(min_schools),
            "min_mean_rating": rating,
            "curator_group": curator_group,
        },
    )
    for resource in Resource.objects.filter(network=network):
        refresh_endorsement(resource=resource)
    return rule
