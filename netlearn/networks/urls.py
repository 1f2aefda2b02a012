from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("networks/", views.my_networks, name="my_networks"),
    path("n/<slug:network_slug>/", views.network_home, name="home"),
    path("n/<slug:network_slug>/language/", views.network_language, name="language"),
    path("n/<slug:network_slug>/schools/", views.network_schools, name="schools"),
    path("n/<slug:network_slug>/schools/add/", views.add_school, name="add_school"),
    path(
        "n/<slug:network_slug>/schools/<int:membership_id>/end/",
        views.end_membership,
        name="end_membership",
    ),
    path("n/<slug:network_slug>/schools/changes/", views.school_changes, name="school_changes"),
    path(
        "n/<slug:network_slug>/schools/amalgamate/",
        views.amalgamate_schools,
        name="amalgamate_schools",
    ),
    path("n/<slug:network_slug>/people/", views.people_directory, name="people"),
    path("n/<slug:network_slug>/roles/", views.roles, name="roles"),
    path("n/<slug:network_slug>/roles/candidates/", views.role_candidates, name="role_candidates"),
    path("n/<slug:network_slug>/roles/<int:role_id>/end/", views.end_role, name="end_role"),
    path("n/<slug:network_slug>/groups/new/", views.create_group, name="create_group"),
    path("n/<slug:network_slug>/groups/<int:group_id>/", views.group_detail, name="group"),
    path("n/<slug:network_slug>/groups/<int:group_id>/edit/", views.edit_group, name="edit_group"),
    path(
        "n/<slug:network_slug>/groups/<int:group_id>/members/add/",
        views.add_group_member,
        name="add_group_member",
    ),
    path(
        "n/<slug:network_slug>/groups/<int:group_id>/members/candidates/",
        views.group_member_candidates,
        name="group_member_candidates",
    ),
    path(
        "n/<slug:network_slug>/groups/<int:group_id>/members/add-role/",
        views.add_role_holders,
        name="add_role_holders",
    ),
    path(
        "n/<slug:network_slug>/groups/<int:group_id>/members/<int:member_id>/remove/",
        views.remove_group_member,
        name="remove_group_member",
    ),
    path("schools/import/", views.import_schools, name="import_schools"),
    path("schools/<int:school_id>/", views.school_detail, name="school"),
    path("schools/<int:school_id>/edit/", views.edit_school, name="edit_school"),
    path("schools/<int:school_id>/close/", views.close_school, name="close_school"),
    path("schools/<int:school_id>/staff/add/", views.add_staff_member, name="add_staff_member"),
    path(
        "schools/<int:school_id>/staff/invite/", views.invite_colleagues, name="invite_colleagues"
    ),
    path(
        "schools/<int:school_id>/invitations/<int:invitation_id>/withdraw/",
        views.revoke_staff_invitation,
        name="revoke_staff_invitation",
    ),
    path(
        "schools/<int:school_id>/invitations/<int:invitation_id>/resend/",
        views.resend_staff_invitation,
        name="resend_staff_invitation",
    ),
    path(
        "schools/<int:school_id>/staff/<int:post_id>/end/",
        views.end_staff_post,
        name="end_staff_post",
    ),
    path("schools/<int:school_id>/sign-in/", views.school_sign_in, name="school_sign_in"),
    path(
        "schools/<int:school_id>/sign-in/domains/add/",
        views.add_email_domain,
        name="add_email_domain",
    ),
    path(
        "schools/<int:school_id>/sign-in/domains/<int:domain_id>/remove/",
        views.remove_email_domain,
        name="remove_email_domain",
    ),
    path("schools/<int:school_id>/sign-in/rules/", views.set_sign_in_rules, name="sign_in_rules"),
    path(
        "schools/<int:school_id>/join-requests/<int:join_request_id>/approve/",
        views.approve_join_request,
        name="approve_join_request",
    ),
    path(
        "schools/<int:school_id>/join-requests/<int:join_request_id>/decline/",
        views.decline_join_request,
        name="decline_join_request",
    ),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("role-proposals/", views.role_proposals, name="role_proposals"),
    path("role-proposals/site-admin/", views.propose_site_admin, name="propose_site_admin"),
    path("role-proposals/<int:proposal_id>/", views.role_proposal, name="role_proposal"),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/accept/",
        views.accept_invitation,
        name="accept_invitation",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        views.decline_invitation,
        name="decline_invitation",
    ),
]
