"""Writes to networks, schools, roles and groups. Each service checks the policy itself.

One module per part: `memberships` (schools joining and leaving), `roles` (given, proposed,
approved, ended), `staff` (school profiles, posts and invitations), `groups`, `school_import`
(GIAS and NZ directory files) and `seed` (trusted set-up for the demo). Callers use
`from netlearn.networks import services` and the names below; a test that replaces a name a
service looks up replaces it in the module that looks it up.
"""

from .groups import (
    TRIAD_SIZE,
    add_group_member,
    add_role_holders_to_group,
    create_group,
    remove_group_member,
    update_group,
)
from .language import set_network_language
from .memberships import add_school_to_network, end_school_membership, network_ids_of_person
from .roles import (
    approve_role_proposal,
    assign_role,
    end_role,
    propose_role,
    propose_site_admin,
    refuse_role_proposal,
)
from .school_changes import (
    CarriedCount,
    RecordCount,
    amalgamate_schools,
    carried_counts,
    close_school,
    preview_amalgamation,
    records_of_schools,
)
from .school_import import ImportResult, import_schools
from .seed import create_network, create_school
from .sign_in import (
    add_email_domain,
    approve_join_request,
    decline_join_request,
    remove_email_domain,
    request_to_join,
    set_sign_in_rules,
)
from .staff import (
    STAFF_INVITATION_SENT,
    accept_staff_invitation,
    add_staff_member,
    add_staff_post,
    decline_staff_invitation,
    end_staff_post,
    invite_colleagues,
    parse_colleague_list,
    resend_staff_invitation,
    revoke_staff_invitation,
    send_staff_invitation,
    update_school,
)

__all__ = [
    "set_network_language",
    "add_email_domain",
    "approve_join_request",
    "decline_join_request",
    "remove_email_domain",
    "request_to_join",
    "set_sign_in_rules",
    "STAFF_INVITATION_SENT",
    "TRIAD_SIZE",
    "ImportResult",
    "accept_staff_invitation",
    "add_group_member",
    "add_role_holders_to_group",
    "CarriedCount",
    "RecordCount",
    "carried_counts",
    "preview_amalgamation",
    "add_school_to_network",
    "amalgamate_schools",
    "close_school",
    "records_of_schools",
    "add_staff_member",
    "add_staff_post",
    "approve_role_proposal",
    "assign_role",
    "create_group",
    "create_network",
    "create_school",
    "decline_staff_invitation",
    "end_role",
    "end_school_membership",
    "end_staff_post",
    "invite_colleagues",
    "parse_colleague_list",
    "resend_staff_invitation",
    "revoke_staff_invitation",
    "import_schools",
    "network_ids_of_person",
    "propose_role",
    "propose_site_admin",
    "refuse_role_proposal",
    "remove_group_member",
    "send_staff_invitation",
    "update_group",
    "update_school",
]
