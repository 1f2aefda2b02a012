"""Writes: programmes, evaluators, invitations, and the networks' consent and withdrawal."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netlearn.core.policy import require

from . import policy, selectors
from .errors import AlreadyInvited, EvaluationError, NotInvited
from .models import Evaluator, NetworkProgramme, ProgrammeMembership


@transaction.atomic
def create_programme(*, name: str, description: str = "", by, is_demo: bool = False):
    """A programme of networks; only a site admin makes one."""
    require(policy.can_create_programme(by))
    name = name.strip()
    if not name:
        raise EvaluationError(_("Give the programme a name."))
    slug = slugify(name)[:80] or "programme"
    if NetworkProgramme.objects.filter(name=name).exists():
        raise AlreadyInvited(_("There is already a programme called “%(name)s”.") % {"name": name})
    base, n = slug, 2
    while NetworkProgramme.objects.filter(slug=slug).exists():
        slug, n = f"{base[:75]}-{n}", n + 1
    return NetworkProgramme.objects.create(
        name=name, slug=slug, description=description.strip(), created_by=by, is_demo=is_demo
    )


@transaction.atomic
def appoint_evaluator(
    *,
    programme: NetworkProgramme,
    person,
    by,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Evaluator:
    require(policy.can_appoint_evaluator(by, programme))
    if person.kind == "pupil":
        raise EvaluationError(_("A pupil cannot evaluate a programme."))
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise EvaluationError(_("The appointment cannot end before it starts."))
    return Evaluator.objects.create(
        programme=programme, person=person, starts_on=starts_on, ends_on=ends_on, appointed_by=by
    )


def _already_asked(network, programme) -> str:
    return _("%(network)s has already been asked to join %(programme)s.") % {
        "network": network.name,
        "programme": programme.name,
    }


@transaction.atomic
def invite_network(*, programme: NetworkProgramme, network, by) -> ProgrammeMembership:
    """Asks a network to join: nothing of it is shown until one of its co-leaders consents."""
    require(policy.can_invite(by, programme))
    if ProgrammeMembership.objects.filter(
        programme=programme, network=network, withdrawn_at__isnull=True
    ).exists():
        raise AlreadyInvited(_already_asked(network, programme))
    try:
        with transaction.atomic():
            return ProgrammeMembership.objects.create(
                programme=programme, network=network, invited_by=by
            )
    except IntegrityError:  # two evaluators asked at once
        raise AlreadyInvited(_already_asked(network, programme)) from None


# The one answer to an invitation by short name, whether or not a network has that name, can be
# seen, or was already asked: the answer must not tell an evaluator which networks exist.
# Marked for translation here, translated where it is shown: `gettext(ASKED)`.
ASKED = gettext_noop(
    "If a network has that short name, its co-leaders have been asked; it joins the programme "
    "when one of them consents, and shows here from then on."
)


def ask_network(*, programme: NetworkProgramme, network_slug: str, by) -> None:
    """Asks the network with this short name, if there is one and it has not been asked yet.

    Returns nothing and raises nothing for a missing or already asked network, so the caller
    answers `ASKED` in every case (no enumeration of networks, docs/threat-model.md)."""
    require(policy.can_invite(by, programme))
    network = selectors.network_to_invite(slug=network_slug)
    if network is None:
        return
    try:
        invite_network(programme=programme, network=network, by=by)
    except AlreadyInvited:
        pass


def _locked(membership: ProgrammeMembership) -> ProgrammeMembership:
    return (
        ProgrammeMembership.objects.select_for_update()
        .select_related("network", "programme")
        .get(pk=membership.pk)
    )


@transaction.atomic
def consent(*, membership: ProgrammeMembership, by) -> ProgrammeMembership:
    """A co-leader of the network consents to its being evaluated in the programme."""
    require(policy.can_consent(by, membership.network))
    membership = _locked(membership)
    if membership.withdrawn_at is not None:
        raise NotInvited(_("This invitation was withdrawn; the programme must ask again."))
    if membership.consented_at is not None:
        return membership
    membership.consented_by = by
    membership.consented_at = timezone.now()
    membership.save(update_fields=["consented_by", "consented_at"])
    return membership


@transaction.atomic
def withdraw(*, membership: ProgrammeMembership, by) -> ProgrammeMembership:
    """A co-leader takes the network out of the programme (or declines the invitation): its
    evaluators lose sight of it at once. The consent given before stays on record."""
    require(policy.can_withdraw(by, membership.network))
    membership = _locked(membership)
    if membership.withdrawn_at is not None:
        raise NotInvited(_("The network has already left this programme."))
    membership.withdrawn_by = by
    membership.withdrawn_at = timezone.now()
    membership.save(update_fields=["withdrawn_by", "withdrawn_at"])
    return membership
