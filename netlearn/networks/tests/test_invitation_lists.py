"""A school invites a list of colleagues at once; invitations lapse, can be withdrawn and sent
again, and the school sees where each stands (issue 22, part 3)."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts.models import Person
from netlearn.networks import services
from netlearn.networks.errors import ColleagueListRefused, InvitationClosed, NetworkError
from netlearn.networks.models import GroupMember, InvitationStatus, PostLevel, StaffInvitation
from netlearn.notifications.models import Notification, NotificationKind

LIST = """Ada Lovelace, ada@example.org, Teacher of maths
Ben Okri, ben@example.org
"Chen, Li", li.chen@example.org, Head of science
"""


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def invite_page(world):
    return reverse("networks:invite_colleagues", args=[world.school_b.pk])


def invite_list(world, text=LIST, by=None, **extra):
    return services.invite_colleagues(
        school=world.school_b,
        by=by or world.school_lead,
        text=text,
        level=PostLevel.TEACHER,
        job_title=extra.pop("job_title", "Teacher"),
        **extra,
    )


def test_a_list_invites_each_colleague_and_nobody_joins_until_they_accept(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_list(world) == 3
    invitations = StaffInvitation.objects.filter(school=world.school_b)
    assert sorted((i.invited_name, i.invited_email, i.job_title) for i in invitations) == [
        ("Ada Lovelace", "ada@example.org", "Teacher of maths"),
        ("Ben Okri", "ben@example.org", "Teacher"),
        ("Chen, Li", "li.chen@example.org", "Head of science"),
    ]
    assert all(i.status == InvitationStatus.PENDING and i.person for i in invitations)
    assert not Person.objects.filter(email="ada@example.org", staff_posts__isnull=False).exists()
    invited = {address for message in mail.outbox for address in message.to}
    assert invited == {"ada@example.org", "ben@example.org", "li.chen@example.org"}
    # Each is told in Netlearn too, once; nobody else is.
    told = Notification.objects.filter(kind=NotificationKind.INVITATION)
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "ada@example.org",
        "ben@example.org",
        "li.chen@example.org",
    ]


@pytest.mark.parametrize(
    "text, row, column",
    [
        ("Ada, ada@example.org\nBen, not-an-address\n", 2, "email address"),
        ("Ada, ada@example.org\n, ben@example.org\n", 2, "name"),
        ("Ada, ada@example.org\nAda again, ADA@example.org\n", 2, "email address"),
        ("Ada, ada@example.org, " + "x" * 121 + "\n", 1, "job title"),
    ],
)
def test_one_bad_row_invites_nobody_and_names_its_row_and_column(world, text, row, column):
    with pytest.raises(ColleagueListRefused) as refused:
        invite_list(world, text)
    problem = refused.value.problems[0]
    assert (problem.row, problem.column) == (row, column)
    assert not StaffInvitation.objects.exists()
    assert not Person.objects.filter(email__iexact="ada@example.org").exists()


def test_without_a_job_title_for_everyone_each_row_needs_one(world):
    with pytest.raises(ColleagueListRefused) as refused:
        invite_list(world, "Ada, ada@example.org\n", job_title="")
    assert str(refused.value) == "Row 1, column job title: Give a job title, here or for everyone."


def test_the_page_takes_a_csv_file_with_a_header_and_lists_problems(world):
    client = signed_in(world.school_lead)
    csv = b"Name,Email address,Job title\nAda,ada@example.org,Teacher\nBen,ben@,Teacher\n"
    upload = SimpleUploadedFile("staff.csv", csv, content_type="text/csv")
    refused = client.post(invite_page(world), {"file": upload, "level": PostLevel.TEACHER})
    assert refused.status_code == 400
    assert "Row 3, column email address" in refused.content.decode()
    assert not StaffInvitation.objects.exists()
    fixed = SimpleUploadedFile("staff.csv", csv.replace(b"ben@", b"ben@example.org"))
    answer = client.post(invite_page(world), {"file": fixed, "level": PostLevel.TEACHER})
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    page = client.get(reverse("networks:school", args=[world.school_b.pk])).content.decode()
    assert "ada@example.org" in page and "ben@example.org" in page
    assert "Waiting for an answer" in page


def test_only_those_who_manage_the_schools_staff_may_invite_or_see_the_list(world):
    invite_list(world, "Ada, ada@example.org\n")
    for person in (world.teacher, world.co_leader, world.foreign_co_leader):
        client = signed_in(person)
        assert client.get(invite_page(world)).status_code in (403, 404)
        school = client.get(reverse("networks:school", args=[world.school_b.pk]))
        assert "ada@example.org" not in school.content.decode()
        invitation = StaffInvitation.objects.get()
        for action in ("revoke_staff_invitation", "resend_staff_invitation"):
            url = reverse(f"networks:{action}", args=[world.school_b.pk, invitation.pk])
            assert client.post(url).status_code in (403, 404)
    assert StaffInvitation.objects.get().times_sent == 1


def test_a_withdrawn_invitation_can_no_longer_be_accepted(world):
    invite_list(world, "Ada, ada@example.org\n")
    invitation = StaffInvitation.objects.get()
    services.revoke_staff_invitation(invitation=invitation, by=world.school_lead)
    ada = invitation.person
    assert ada.staff_invitations.get().status == InvitationStatus.REVOKED
    with pytest.raises(InvitationClosed):
        services.accept_staff_invitation(invitation=invitation, by=ada)
    assert not ada.staff_posts.exists()
    assert signed_in(ada).get("/api/v1/me/invitations").json()["count"] == 0
    with pytest.raises(InvitationClosed):
        services.revoke_staff_invitation(invitation=invitation, by=world.school_lead)


def test_an_invitation_lapses_and_sending_it_again_renews_it(
    world, django_capture_on_commit_callbacks
):
    invite_list(world, "Ada, ada@example.org\n")
    invitation = StaffInvitation.objects.get()
    ada = invitation.person
    StaffInvitation.objects.update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        sent_at=timezone.now() - datetime.timedelta(days=31),
    )
    invitation.refresh_from_db()
    assert invitation.state == "Expired"
    assert signed_in(ada).get("/api/v1/me/invitations").json()["count"] == 0
    with pytest.raises(InvitationClosed, match="lapsed"):
        services.accept_staff_invitation(invitation=invitation, by=ada)
    page = signed_in(world.school_lead).get(reverse("networks:school", args=[world.school_b.pk]))
    assert "Expired" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.resend_staff_invitation(invitation=invitation, by=world.school_lead)
    invitation.refresh_from_db()
    assert invitation.times_sent == 2 and invitation.expires_at > timezone.now()
    # Ada has signed in (to look for it): she needs no new link to choose a password.
    assert [message.subject for message in mail.outbox] == [
        "An invitation to join Birch Primary on Netlearn"
    ]
    with pytest.raises(NetworkError, match="a few minutes ago"):
        services.resend_staff_invitation(invitation=invitation, by=world.school_lead)
    services.accept_staff_invitation(invitation=invitation, by=ada)
    assert ada.staff_posts.current().filter(school=world.school_b).exists()


def test_sending_again_to_someone_who_never_signed_in_sends_their_password_link_too(
    world, django_capture_on_commit_callbacks
):
    invite_list(world, "Ada, ada@example.org\n")
    StaffInvitation.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_staff_invitation(
            invitation=StaffInvitation.objects.get(), by=world.school_lead
        )
    assert sorted(message.subject for message in mail.outbox) == [
        "An invitation to join Birch Primary on Netlearn",
        "Sam Head has added you to Netlearn",
    ]


def test_colleagues_invited_into_groups_join_them_on_accepting(world):
    invite_list(world, "Ada, ada@example.org\n", by=world.admin, groups=[world.group])
    invitation = StaffInvitation.objects.get()
    assert list(invitation.groups.all()) == [world.group]
    ada = invitation.person
    assert not GroupMember.objects.filter(person=ada).exists()
    services.accept_staff_invitation(invitation=invitation, by=ada)
    assert GroupMember.objects.filter(person=ada, group=world.group).exists()


def test_groups_the_inviter_does_not_manage_are_refused(world):
    with pytest.raises(NetworkError, match="not a group of this school's networks"):
        invite_list(world, "Ada, ada@example.org\n", groups=[world.group])
    with pytest.raises(NetworkError):
        invite_list(world, "Ada, ada@example.org\n", by=world.admin, groups=[world.foreign_group])
    assert not StaffInvitation.objects.exists()


def test_the_api_invites_lists_withdraws_and_sends_again(world):
    client = signed_in(world.school_lead)
    url = f"/api/v1/schools/{world.school_b.pk}/invitations"
    body = {
        "colleagues": [
            {"name": "Ada", "email": "ada@example.org"},
            {"name": "Ben", "email": "ben@example.org", "job_title": "Head of PE"},
        ],
        "job_title": "Teacher",
    }
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 202 and answer.json()["read"] == 2
    listed = client.get(url).json()
    assert listed["count"] == 2
    assert {row["email"] for row in listed["items"]} == {"ada@example.org", "ben@example.org"}
    assert {row["state"] for row in listed["items"]} == {"Waiting for an answer"}
    ada = next(row for row in listed["items"] if row["email"] == "ada@example.org")
    withdrawn = client.post(f"{url}/{ada['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "revoked"
    assert client.post(f"{url}/{ada['id']}/resend").status_code == 400

    bad = {"colleagues": [{"name": "Cy", "email": "nope"}], "job_title": "Teacher"}
    refused = client.post(url, bad, content_type="application/json")
    assert refused.status_code == 400 and "Row 1, column email address" in refused.json()["detail"]
    assert StaffInvitation.objects.count() == 2

    teacher = signed_in(world.teacher)
    assert teacher.get(url).json()["count"] == 0
    assert teacher.post(url, body, content_type="application/json").status_code == 403
    foreign = signed_in(world.foreign_co_leader)
    assert foreign.get(url).status_code == 404
