"""Importing a school's OneRoster bundle: staff invited, pupils made and kept up to date, leavers
ended, all or nothing, and a second import changes nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from netlearn.accounts.models import Kind, Person
from netlearn.discussions.models import PupilProfile
from netlearn.networks import services as network_services
from netlearn.networks.models import InvitationStatus, StaffInvitation, StaffPost
from netlearn.rostering import services
from netlearn.rostering.errors import ChooseOrg, RosterRefused
from netlearn.rostering.models import RosterLink

from .bundles import school_bundle


def database() -> str:
    """Every row of every table, as text: two snapshots are equal only if nothing changed."""
    out = io.StringIO()
    call_command("dumpdata", "--exclude=sessions", "--exclude=contenttypes", stdout=out)
    return out.getvalue()


def bundle_for(world, **kwargs):
    return school_bundle(identifier=world.school_b.reference, name="Birch Primary", **kwargs)


def run(world, bundle, **kwargs):
    return services.import_roster(
        school=world.school_b, by=world.school_lead, file=bundle.zip(), **kwargs
    )


def test_an_import_makes_pupils_and_invites_staff_who_must_say_yes(world, mailoutbox):
    result = run(world, bundle_for(world, pupils=10, staff=3))
    assert (result.pupils_created, result.staff_invited) == (10, 3)
    assert len(result.slips) == 10 and all(slip.password for slip in result.slips)
    pupils = Person.objects.filter(kind=Kind.PUPIL, pupil_school=world.school_b)
    assert pupils.count() == 10
    assert not pupils.exclude(email="").exists()
    profile = PupilProfile.objects.get(person__roster_links__source_id="p1")
    assert (profile.year_group, profile.class_name, profile.person.name) == (7, "7B", "Ben")
    invited = StaffInvitation.objects.filter(school=world.school_b, status=InvitationStatus.PENDING)
    assert invited.count() == 3
    # Nobody joins a school without saying yes.
    assert not StaffPost.objects.filter(person__email__endswith="school.example.org").exists()
    assert RosterLink.objects.filter(school=world.school_b).count() == 13


def test_an_existing_account_is_invited_and_posted_staff_are_linked(world):
    bundle = bundle_for(world, pupils=1, staff=2)
    bundle.user("s1")["email"] = world.teacher.email  # posted elsewhere: invited
    bundle.user("s2")["email"] = world.data_lead.email.upper()  # posted here already
    result = run(world, bundle)
    assert (result.staff_invited, result.staff_linked) == (1, 1)
    assert StaffInvitation.objects.filter(person=world.teacher, school=world.school_b).exists()
    assert not StaffInvitation.objects.filter(person=world.data_lead).exists()
    link = RosterLink.objects.get(school=world.school_b, source_id="s2")
    assert link.person == world.data_lead


def test_a_second_import_of_the_same_bundle_changes_nothing(world):
    bundle = bundle_for(world, pupils=8, staff=3)
    bundle.user("s1")["email"] = world.data_lead.email
    run(world, bundle)
    before = database()
    result = run(world, bundle)
    assert database() == before
    assert not result.changed and result.unchanged == 11 and result.slips == []


def test_one_bad_row_changes_nothing_and_names_file_row_and_column(world):
    run(world, bundle_for(world, pupils=4, staff=1))
    bundle = bundle_for(world, pupils=6, staff=2)
    bundle.user("p5")["grades"] = "PK"
    before = database()
    with pytest.raises(RosterRefused) as refused:
        run(world, bundle)
    assert database() == before
    assert [str(problem) for problem in refused.value.problems] == [
        "users.csv, row 8, column grades: “PK” is not a year group from KG (Reception) to 13."
    ]


def test_a_reimport_moves_pupils_to_their_new_year_and_class(world):
    bundle = bundle_for(world, pupils=3, staff=0)
    run(world, bundle)
    bundle.user("p1")["grades"] = "08"
    bundle.rows["enrollments"][0]["classSourcedId"] = "class-8A"
    result = run(world, bundle)
    assert (result.pupils_updated, result.pupils_created, result.unchanged) == (1, 0, 2)
    profile = PupilProfile.objects.get(person__roster_links__source_id="p1")
    assert (profile.year_group, profile.class_name) == (8, "8A")


def test_leavers_posts_end_and_pupils_accounts_close_and_a_returner_comes_back(world):
    bundle = bundle_for(world, pupils=4, staff=2)
    run(world, bundle)
    staff_one = Person.objects.get(email="staff1@school.example.org")
    invitation = StaffInvitation.objects.get(person=staff_one, school=world.school_b)
    network_services.accept_staff_invitation(invitation=invitation, by=staff_one)
    assert StaffPost.objects.current().filter(person=staff_one, school=world.school_b).exists()

    # s1 and p2 are gone from the export; p3 is marked tobedeleted; s2 never answered.
    gone = bundle_for(world, pupils=4, staff=2)
    gone.rows["users"] = [u for u in gone.rows["users"] if u["sourcedId"] not in ("s1", "p2")]
    gone.rows["roles"] = [r for r in gone.rows["roles"] if r["userSourcedId"] not in ("s1", "p2")]
    gone.rows["enrollments"] = [
        e for e in gone.rows["enrollments"] if e["userSourcedId"] not in ("s1", "p2")
    ]
    gone.user("p3")["status"] = "tobedeleted"
    gone.user("s2")["status"] = "tobedeleted"
    result = run(world, gone)
    assert (result.staff_ended, result.pupils_left) == (2, 2)
    assert not StaffPost.objects.current().filter(person=staff_one, school=world.school_b).exists()
    assert not StaffInvitation.objects.filter(
        person__email="staff2@school.example.org", status=InvitationStatus.PENDING
    ).exists()
    closed = Person.objects.filter(roster_links__source_id__in=["p2", "p3"])
    assert not closed.filter(is_active=True).exists()
    assert Person.objects.get(roster_links__source_id="p1").is_active
    before = database()
    run(world, gone)
    assert database() == before

    # p2 comes back: the same account opens again, no new one is made.
    result = run(world, bundle)
    assert (result.pupils_created, result.pupils_updated) == (0, 2)
    assert Person.objects.get(roster_links__source_id="p2").is_active
    assert result.staff_invited == 2  # the two staff who left are invited again


def test_an_export_that_drops_the_lead_importing_it_leaves_their_post(world):
    bundle = bundle_for(world, pupils=1, staff=1)
    bundle.user("s1")["email"] = world.school_lead.email
    assert run(world, bundle).staff_linked == 1
    bundle.rows["users"] = [u for u in bundle.rows["users"] if u["sourcedId"] != "s1"]
    bundle.rows["roles"] = [r for r in bundle.rows["roles"] if r["userSourcedId"] != "s1"]
    bundle.rows["enrollments"] = [
        e for e in bundle.rows["enrollments"] if e["userSourcedId"] != "s1"
    ]
    assert run(world, bundle).staff_ended == 0
    assert StaffPost.objects.current().filter(person=world.school_lead, leads_school=True).exists()


def test_the_lead_chooses_the_school_when_no_identifier_matches(world):
    bundle = school_bundle(identifier="123", pupils=1, staff=0)
    with pytest.raises(ChooseOrg) as choose:
        run(world, bundle)
    assert choose.value.orgs == [("org-1", "Test School", "123")]
    assert "Birch Primary" in str(choose.value)
    assert run(world, bundle, org_id="org-1").pupils_created == 1
    with pytest.raises(RosterRefused):
        run(world, bundle, org_id="district-1")


def test_a_sourced_id_cannot_turn_from_pupil_into_staff(world):
    bundle = bundle_for(world, pupils=1, staff=0)
    run(world, bundle)
    bundle.rows["roles"][0]["role"] = "teacher"
    bundle.user("p1")["email"] = "p1@school.example.org"
    with pytest.raises(RosterRefused) as refused:
        run(world, bundle)
    assert str(refused.value.problems[0]).startswith("users.csv, row 2, column sourcedId:")


@pytest.mark.parametrize("who", ["teacher", "data_lead", "co_leader", "pupil", "foreign_co_leader"])
def test_only_those_who_manage_the_schools_staff_import_its_roster(world, who):
    with pytest.raises(PermissionDenied):
        services.import_roster(
            school=world.school_b,
            by=getattr(world, who),
            file=bundle_for(world, pupils=1, staff=0).zip(),
        )
    assert not RosterLink.objects.exists()
