"""Resources, versions, trials, the endorsement rule and curation, written through services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.library import selectors, services
from netlearn.library.errors import AlreadyTrialled, LibraryError
from netlearn.library.models import ExtractionStatus, ResourceFile
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory

from .factories import add_resource, good_trial, pdf_upload


def teacher_at(school, username):
    person = PersonFactory(username=username, name=username.title())
    network_services.add_staff_post(
        person=person, school=school, job_title="Teacher", level=PostLevel.TEACHER
    )
    return person


def test_the_resource_belongs_to_the_authors_school(world):
    resource = add_resource(world.network, by=world.teacher)
    assert resource.school == world.school_c
    assert resource.author == world.teacher
    assert resource.licence == "cc-by-4.0"


def test_a_pupil_cannot_add_a_resource(world):
    with pytest.raises(PermissionDenied):
        add_resource(world.network, by=world.pupil)


def test_unknown_stage_is_refused(world):
    with pytest.raises(LibraryError, match="Unknown stage"):
        add_resource(world.network, by=world.teacher, stages=["ks9"])


def test_a_new_version_keeps_the_history(world):
    resource = add_resource(world.network, by=world.teacher, upload=pdf_upload("First draft"))
    first = resource.files.get()
    second = services.add_file(
        resource=resource,
        by=world.teacher,
        upload=pdf_upload("Second draft"),
        note="Clearer",
        replaces=first,
    )
    first.refresh_from_db()
    assert second.version == 2 and second.previous == first
    assert not first.is_current and second.is_current
    assert ResourceFile.objects.filter(resource=resource).count() == 2


def test_extraction_runs_after_commit_and_records_its_status(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.create_resource(
            network=world.network, by=world.teacher, title="Rocks", upload=pdf_upload("Basalt")
        )
    stored = resource.files.get()
    assert stored.extraction_status == ExtractionStatus.DONE
    assert "Basalt" in stored.text


def test_resource_trialled_in_one_school_is_not_endorsed(world):
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead)
    second = teacher_at(world.school_b, "secondb")
    good_trial(resource, by=second)
    resource.refresh_from_db()
    assert resource.endorsed_at is None  # two trials, but one school


def test_two_good_trials_from_two_other_schools_endorse_it(world):
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead)
    good_trial(resource, by=world.co_leader)
    resource.refresh_from_db()
    assert resource.endorsed_at is not None
    assert selectors.trial_summary(resource=resource)["schools"] == 2


def test_a_low_mean_rating_does_not_endorse(world):
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead, rating=4)
    good_trial(resource, by=world.co_leader, rating=3)
    resource.refresh_from_db()
    assert resource.endorsed_at is None


def test_the_networks_own_rule_applies(world):
    services.change_settings(
        network=world.network, by=world.co_leader, min_trials=1, min_schools=1, min_mean_rating=4
    )
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead)
    resource.refresh_from_db()
    assert resource.endorsed_at is not None


def test_nobody_trials_their_own_schools_resource(world):
    resource = add_resource(world.network, by=world.teacher)
    colleague = teacher_at(world.school_c, "colleague")
    with pytest.raises(PermissionDenied):
        good_trial(resource, by=colleague)


def test_one_trial_per_teacher(world):
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead)
    with pytest.raises(AlreadyTrialled):
        good_trial(resource, by=world.school_lead)


def test_a_trial_in_the_future_is_refused(world):
    resource = add_resource(world.network, by=world.teacher)
    with pytest.raises(LibraryError, match="future"):
        good_trial(
            resource,
            by=world.school_lead,
            trialled_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert resource.trials.count() == 0


def test_curators_feature_and_retire(world):
    resource = add_resource(world.network, by=world.teacher)
    services.curate(resource=resource, by=world.co_leader, action="feature")
    assert resource.featured_at is not None
    services.curate(resource=resource, by=world.co_leader, action="retire")
    resource.refresh_from_db()
    assert resource.retired_at is not None and resource.featured_at is None
    with pytest.raises(PermissionDenied):
        services.curate(resource=resource, by=world.teacher, action="restore")


def test_a_library_group_may_curate(world):
    services.change_settings(
        network=world.network,
        by=world.co_leader,
        min_trials=2,
        min_schools=2,
        min_mean_rating=4,
        curator_group=world.group,
    )
    resource = add_resource(world.network, by=world.co_leader)
    loaded = selectors.resource_for(viewer=world.teacher, resource_id=resource.pk)
    services.curate(resource=loaded, by=world.teacher, action="feature")
    assert loaded.featured_at is not None


def test_sharing_only_with_networks_you_belong_to(world):
    with pytest.raises(LibraryError, match="belong"):
        add_resource(
            world.network,
            by=world.teacher,
            sharing="networks",
            shared_with=[world.foreign_network.pk],
        )
