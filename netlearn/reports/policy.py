"""Who may draft, review, publish and read a network's progress reports.

The network's co-leaders and co-ordinators draft, review and publish; every member of the network
(school leads, teachers, partners) reads what is published and downloads its PDF and XLSX; drafts
stay with those who write them; pupils, parents and other networks see nothing (404). The
evaluators of a programme the network consented to (`netlearn.evaluation`) read its published
reports too, never its drafts nor its writing days' compilations. Site admins may do everything.
Checks read preloaded access and cost no queries.
"""

from django.db.models import Q

from netlearn.charter import policy as charter_policy
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import ProgressReport

DRAFTING_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


def _is_member(person, network) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    return not access.is_pupil and network.pk in access.network_ids


def can_view_reports(person, network) -> bool:
    """Whoever may read its charter: its members, and a consenting programme's evaluators (who
    see only what is published, `report_scope`)."""
    return charter_policy.can_view_charter(person, network)


def can_draft(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(*DRAFTING_ROLES, in_network=network.pk)


def can_review(person, network) -> bool:
    return can_draft(person, network)


def can_publish(person, network) -> bool:
    return can_draft(person, network)


def report_scope(person) -> Q:
    """Published reports of the person's networks; drafts too where they draft."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.is_pupil:
        return Q(pk__in=[])
    drafting = [
        network_id
        for network_id in access.network_ids
        if access.holds(*DRAFTING_ROLES, in_network=network_id)
    ]
    return Q(network_id__in=drafting) | Q(
        network_id__in=access.network_ids | access.evaluated_network_ids,
        published_at__isnull=False,
    )


def can_view_report(person, report) -> bool:
    if can_draft(person, report.network):
        return True
    return can_view_reports(person, report.network) and report.published_at is not None


def can_view_writing_day(person, network) -> bool:
    """A writing day's compilation is shared across the network: every member reads it (not a
    programme's evaluator: it is the network's own)."""
    return _is_member(person, network)


# (model, rule(person, obj), scope(person)): proven to agree by tests/test_policy_agreement.py.
AGREEMENTS = ((ProgressReport, can_view_report, report_scope),)
SCOPES_ALONE = ()
