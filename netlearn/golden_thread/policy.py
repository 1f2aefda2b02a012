"""Who may follow a learning focus's golden thread.

Whoever may read the focus (its charter) sees the thread; each part of it is then filtered by the
owning app's own scope, so a teacher sees only the enquiries, accounts, release requests and
figures they could open there. The links to fill a gap follow the owning app's rule for filling
it. Checks read preloaded access and cost no queries.
"""

from netlearn.activities import policy as activity_policy
from netlearn.charter import policy as charter_policy
from netlearn.enquiry import policy as enquiry_policy
from netlearn.impact import policy as impact_policy
from netlearn.library import policy as library_policy
from netlearn.networks.access import access_for


def can_view_thread(person, network) -> bool:
    return charter_policy.can_view_charter(person, network)


def reads_as_evaluator(person, network) -> bool:
    """Reads the thread only as a programme's evaluator (`netlearn.evaluation`): the charter's
    parts, and the schools' attendance rates; nothing the other apps keep to the network's members,
    so the thread's gaps are not shown (they would be gaps in what the evaluator may see)."""
    access = access_for(person)
    return (
        not access.is_site_admin
        and network.pk not in access.network_ids
        and network.pk in access.evaluated_network_ids
    )


def can_add_goal(person, network) -> bool:
    return charter_policy.can_edit_charter(person, network)


def can_start_enquiry(person, network) -> bool:
    return enquiry_policy.can_start_enquiry(person, network)


def can_schedule_activity(person, network) -> bool:
    return activity_policy.can_create_activity(person, network)


def can_add_resource(person, network) -> bool:
    return library_policy.can_add_resource(person, network)


def can_view_value_added(person, network) -> bool:
    return impact_policy.can_view_impact(person, network)


def can_link_goal(person, network) -> bool:
    return impact_policy.can_link_goal(person, network)


# No scope of its own: every part of the thread is read through its owning app's scope.
AGREEMENTS = ()
SCOPES_ALONE = ()
