"""Importing a school's OneRoster 1.2 bundle: its staff invited, its pupils' accounts made or
brought up to date, its leavers ended; all or nothing, and a second import changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from netlearn.accounts import pupils as pupil_accounts
from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Kind
from netlearn.accounts.pupils import PupilRow, SignInSlip
from netlearn.core.intake import FileRefused, Problem, read_limited
from netlearn.core.policy import require
from netlearn.discussions import selectors as discussion_selectors
from netlearn.discussions import services as discussion_services
from netlearn.networks import selectors as network_selectors
from netlearn.networks import services as network_services
from netlearn.networks.models import InvitationStatus, School

from . import policy
from .errors import ChooseOrg, RosterRefused
from .models import RosterLink
from .oneroster import MAX_BUNDLE_BYTES, FileProblem, Org, Roster, SchoolRoster, read_bundle


@dataclass
class RosterResult:
    org: Org
    staff_invited: int = 0
    """Invitations sent: new accounts, existing accounts, and staff listed again after leaving."""
    staff_linked: int = 0
    """Already posted at the school (or already invited): linked to the export, nothing sent."""
    staff_not_invited: int = 0
    """Addresses that cannot take a post; which ones is not told (networks.services.staff)."""
    staff_ended: int = 0
    pupils_created: int = 0
    pupils_updated: int = 0
    pupils_left: int = 0
    unchanged: int = 0
    slips: list[SignInSlip] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.staff_invited,
                self.staff_linked,
                self.staff_ended,
                self.pupils_created,
                self.pupils_updated,
                self.pupils_left,
            )
        )


def _same_reference(identifier: str, reference: str) -> bool:
    # MIS exports write a URN or a Ministry number with leading zeros or spaces at times.
    identifier = identifier.strip()
    if identifier.isdigit() and reference.isdigit():
        return int(identifier) == int(reference)
    return bool(identifier) and identifier.lower() == reference.strip().lower()


def org_for(roster: Roster, school: School, org_id: str | None) -> Org:
    """The bundle's org that is `school`: the one chosen, or the one with its identifier."""
    schools = roster.schools
    if org_id:
        org = next((org for org in schools if org.source_id == org_id), None)
        if org is None:
            raise RosterRefused(
                [FileProblem(None, None, "the school chosen is not in this bundle.", "orgs.csv")]
            )
        return org
    if not schools:
        raise RosterRefused([FileProblem(None, "type", "no org is of type school.", "orgs.csv")])
    matches = [org for org in schools if _same_reference(org.identifier, school.reference)]
    if len(matches) == 1:
        return matches[0]
    choices = [(org.source_id, org.name, org.identifier) for org in schools]
    if matches:
        message = gettext("Several schools of this bundle carry the identifier %(reference)s.") % {
            "reference": school.reference
        }
    else:
        label = getattr(school, "reference_label", "reference")
        message = gettext(
            "No school of this bundle carries %(name)s's %(label)s%(reference)s as its identifier."
        ) % {
            "name": school.name,
            "label": label,
            "reference": f" {school.reference}" if school.reference else "",
        }
    raise ChooseOrg(
        gettext("%(message)s Choose which one is %(name)s.")
        % {"message": message, "name": school.name},
        choices,
    )


def import_roster(*, school: School, by, file, org_id: str | None = None) -> RosterResult:
    """Imports the school's staff and pupils from a OneRoster 1.2 CSV bundle (a .zip).

    Raises PermissionDenied; RosterRefused listing every problem, each naming its file, row and
    column; or ChooseOrg when the lead must say which of the bundle's schools is theirs. Then
    nothing was written.
    """
    require(policy.can_import_roster(by, school))
    try:
        data = read_limited(file, limit=MAX_BUNDLE_BYTES)
    except FileRefused as refused:
        raise RosterRefused(refused.problems) from None
    roster = read_bundle(data)
    org = org_for(roster, school, org_id)
    listed = roster.school(org.source_id)
    try:
        with transaction.atomic():
            return _apply(school=school, by=by, listed=listed)
    except IntegrityError:
        # Another import of the same school ran meanwhile.
        raise RosterRefused(
            [
                Problem(
                    None,
                    None,
                    "The school's people changed while importing; nothing was saved. Try again.",
                )
            ]
        ) from None


def _apply(*, school: School, by, listed: SchoolRoster) -> RosterResult:
    """Caller holds the transaction."""
    result = RosterResult(org=listed.org)
    links = {
        link.source_id: link
        for link in RosterLink.objects.select_for_update()
        .filter(school=school)
        .select_related("person")
    }
    now = timezone.now()
    kept = {entry.source_id for entry in [*listed.staff, *listed.pupils] if not entry.leaving}
    switched = [
        FileProblem(
            entry.row,
            "sourcedId",
            f"{entry.source_id[:40]} was {'a pupil' if entry.is_pupil is False else 'staff'} "
            "in the last import; one sourcedId cannot change between staff and pupil.",
            "users.csv",
        )
        for entry in [*listed.staff, *listed.pupils]
        if entry.source_id in links and links[entry.source_id].is_pupil != entry.is_pupil
    ]
    if switched:
        raise RosterRefused(switched)
    _import_staff(school=school, by=by, listed=listed, links=links, now=now, result=result)
    _import_pupils(school=school, by=by, listed=listed, links=links, now=now, result=result)
    _end_leavers(school=school, by=by, links=links, kept=kept, now=now, result=result)
    return result


def _import_staff(*, school, by, listed, links, now, result) -> None:
    new_links = []
    for entry in listed.staff:
        if entry.leaving:
            continue
        link = links.get(entry.source_id)
        if link is not None and link.left_at is None:
            result.unchanged += 1
            continue
        person = account_selectors.person_with_email(entry.email)
        if (
            link is None
            and person is not None
            and person.kind in (Kind.STAFF, Kind.PARTNER)
            and network_selectors.holds_post_or_pending_invitation(
                person_id=person.pk, school=school
            )
        ):
            # Already working here, or already asked: linked, not asked again.
            result.staff_linked += 1
        else:
            invitation = network_services.add_staff_member(
                school=school,
                by=by,
                name=entry.name,
                email=entry.email,
                job_title=entry.job_title,
                level=entry.level,
            )
            if link is not None:
                # Listed again after leaving: invited again, as anyone new would be.
                link.left_at = None
                link.save(update_fields=["left_at"])
                result.staff_invited += 1
                continue
            if invitation is None or invitation.person_id is None:
                # An address that cannot take a post: counted, never named.
                result.staff_not_invited += 1
                continue
            person = invitation.person
            result.staff_invited += 1
        new_links.append(
            RosterLink(school=school, source_id=entry.source_id, person=person, is_pupil=False)
        )
    RosterLink.objects.bulk_create(new_links)


def _import_pupils(*, school, by, listed, links, now, result) -> None:
    new = [entry for entry in listed.pupils if not entry.leaving and entry.source_id not in links]
    slips = pupil_accounts.create_pupils(
        school=school,
        rows=[PupilRow(entry.name, entry.year_group, entry.class_name) for entry in new],
    )
    RosterLink.objects.bulk_create(
        [
            RosterLink(school=school, source_id=entry.source_id, person=slip.person, is_pupil=True)
            for entry, slip in zip(new, slips, strict=True)
        ],
        batch_size=500,
    )
    known = [
        (entry, links[entry.source_id])
        for entry in listed.pupils
        if not entry.leaving and entry.source_id in links
    ]
    records = discussion_selectors.pupil_records_of(
        school=school, person_ids=[link.person_id for _, link in known]
    )
    names, active, changes, returned = {}, {}, [], []
    for entry, link in known:
        person, record = link.person, records.get(link.person_id)
        changed = False
        if person.name != entry.name:
            names[person.pk] = entry.name
            changed = True
        if not person.is_active or link.left_at is not None:
            active[person.pk] = True
            returned.append(link)
            changed = True
        if record is None or (record.year_group, record.class_name) != (
            entry.year_group,
            entry.class_name,
        ):
            changes.append((person.pk, entry.year_group, entry.class_name))
            changed = True
        if changed:
            result.pupils_updated += 1
        else:
            result.unchanged += 1
    pupil_accounts.update_pupil_accounts(school=school, names=names, active=active)
    for link in returned:
        link.left_at = None
        link.save(update_fields=["left_at"])
    result.pupils_created = len(slips)
    result.slips = slips
    if slips or changes:
        discussion_services.record_rostered_pupils(
            school=school,
            by=by,
            slips=slips,
            changes=changes,
            note=f"OneRoster import: {len(slips)} pupil accounts made, {len(changes)} changed",
        )


def _end_leavers(*, school, by, links, kept, now, result) -> None:
    leaving = [
        link
        for link in links.values()
        if link.left_at is None
        and link.source_id not in kept
        # The lead importing never ends their own post: an export that drops them is wrong, or
        # the school's next lead is the one to record it.
        and link.person_id != by.pk
    ]
    pupils_off = {}
    for link in leaving:
        link.left_at = now
        link.save(update_fields=["left_at"])
        if link.is_pupil:
            pupils_off[link.person_id] = False
            continue
        for post in network_selectors.current_posts_at(person_id=link.person_id, school=school):
            network_services.end_staff_post(post=post, by=by)
        # An invitation nobody answered must not give a leaver a post later: withdrawn, kept.
        for invitation in network_selectors.invitations_of_school(viewer=by, school=school).filter(
            person_id=link.person_id, status=InvitationStatus.PENDING
        ):
            network_services.revoke_staff_invitation(invitation=invitation, by=by)
        result.staff_ended += 1
    pupil_accounts.update_pupil_accounts(school=school, names={}, active=pupils_off)
    result.pupils_left = len(pupils_off)
