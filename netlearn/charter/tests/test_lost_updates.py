"""No save overwrites another unseen: the API changes only the fields sent, under the charter's
lock; a form or patch that read an older version is refused (409) and shows both versions."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.charter import services
from netlearn.charter.errors import CharterExists
from netlearn.charter.models import Charter, Commitment, LearningFocus

from .factories import build_charter


@pytest.fixture
def built(world):
    return build_charter(world.network, by=world.co_leader)


def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def patch(person, body):
    return signed_in(person).patch(
        "/api/v1/networks/riverside/charter", body, content_type="application/json"
    )


def test_a_patch_of_the_purpose_keeps_values_saved_after_the_copy_it_was_given(world, built):
    charter, *_ = built
    read_before = Charter.objects.get(pk=charter.pk)
    services.update_charter(charter=charter, by=world.co_leader, shared_values="Saved meanwhile")
    services.update_charter(charter=read_before, by=world.co_leader, purpose="New purpose")
    charter.refresh_from_db()
    assert (charter.purpose, charter.shared_values) == ("New purpose", "Saved meanwhile")


def test_the_api_changes_only_the_fields_sent(world, built):
    charter, *_ = built
    answer = patch(world.co_leader, {"shared_values": "Only the values"})
    assert answer.status_code == 200
    assert answer.json()["purpose"] == "Better writing for every pupil"
    assert answer.json()["shared_values"] == "Only the values"


def test_a_patch_with_a_stale_version_answers_409_and_changes_nothing(world, built):
    charter, *_ = built
    read = signed_in(world.co_leader).get("/api/v1/networks/riverside/charter").json()
    assert patch(world.co_leader, {"purpose": "First", "version": read["version"]}).status_code == (
        200
    )
    stale = patch(world.co_leader, {"purpose": "Second", "version": read["version"]})
    assert stale.status_code == 409 and "Someone else saved" in stale.json()["detail"]
    charter.refresh_from_db()
    assert charter.purpose == "First" and charter.revision == read["version"] + 1


def test_a_stale_form_is_refused_with_both_versions_shown(world, built):
    charter, *_ = built
    url = reverse("charter:edit", args=["riverside"])
    mine = signed_in(world.co_leader)
    services.update_charter(charter=charter, by=world.co_leader, purpose="Read version")
    form = mine.get(url).content.decode()
    assert f'name="version" value="{charter.revision + 1}"' in form
    read_version = charter.revision + 1
    # Someone else saves after the form was read.
    services.update_charter(
        charter=charter, by=world.co_leader, purpose="Their purpose", shared_values="Theirs"
    )
    answer = mine.post(
        url, {"purpose": "My purpose", "shared_values": "Mine", "version": read_version}
    )
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "Their purpose" in page and "My purpose" in page and "Someone else saved" in page
    charter.refresh_from_db()
    assert charter.purpose == "Their purpose"
    # Saving again, having seen theirs, is a choice: the form now carries the current version.
    assert f'name="version" value="{charter.revision}"' in page
    again = mine.post(
        url, {"purpose": "My purpose", "shared_values": "Mine", "version": charter.revision}
    )
    assert again.status_code == 302
    charter.refresh_from_db()
    assert charter.purpose == "My purpose"


def test_starting_a_charter_twice_is_a_conflict(world, built):
    with pytest.raises(CharterExists) as refused:
        services.start_charter(network=world.network, by=world.co_leader)
    assert refused.value.status == 409


def test_an_edit_of_a_focus_dropped_meanwhile_leaves_it_dropped(world, built):
    charter, focus, *_ = built
    read_before = LearningFocus.objects.get(pk=focus.pk)
    services.drop_focus(focus=focus, by=world.co_leader, reason="Done")
    values = {name: getattr(read_before, name) for name in services.FOCUS_FIELDS}
    services.update_focus(focus=read_before, by=world.co_leader, **{**values, "title": "Renamed"})
    focus.refresh_from_db()
    assert focus.title == "Renamed" and focus.dropped_at is not None


def test_changing_a_commitment_removed_meanwhile_says_so(world, built):
    charter, *_, commitment, _version = built
    read_before = Commitment.objects.get(pk=commitment.pk)
    services.remove_commitment(commitment=commitment, by=world.co_leader)
    with pytest.raises(services.CharterError, match="removed"):
        services.update_commitment(
            commitment=read_before, by=world.co_leader, text="Changed", binds="Every school"
        )
    assert not Commitment.objects.filter(pk=commitment.pk).exists()


def test_a_start_form_sent_after_someone_else_started_the_charter_is_refused(world):
    url = reverse("charter:edit", args=["riverside"])
    mine = signed_in(world.co_leader)
    assert 'name="version"' in mine.get(url).content.decode()
    services.start_charter(network=world.network, by=world.co_leader, purpose="Started first")
    answer = mine.post(url, {"purpose": "Mine too", "shared_values": ""})
    assert answer.status_code == 409
    assert "Started first" in answer.content.decode() and "Mine too" in answer.content.decode()
    assert Charter.objects.get().purpose == "Started first"


# Foci, goals and commitments carry their own version, as the purpose does -------------------


def _focus_form(focus, **changes):
    values = {name: getattr(focus, name) for name in services.FOCUS_FIELDS}
    return {**values, "lead_group": "", **changes}


def _goal_form(goal, **changes):
    return {
        "measure": goal.measure,
        "unit": goal.unit,
        "baseline_value": str(goal.baseline_value),
        "baseline_date": goal.baseline_date.isoformat(),
        "target_value": str(goal.target_value),
        "target_date": goal.target_date.isoformat(),
        "source": goal.source,
        "source_note": goal.source_note,
        **changes,
    }


def _commitment_form(commitment, **changes):
    return {
        "text": commitment.text,
        "binds": commitment.binds,
        "how_checked": commitment.how_checked,
        "kind": commitment.kind,
        "attendance_threshold": commitment.attendance_threshold or "",
        **changes,
    }


@pytest.mark.parametrize("kind", ["focus", "goal", "commitment"])
def test_a_stale_edit_form_is_refused_with_both_versions_shown(world, built, kind):
    charter, focus, goal, *_, commitment, _version = built
    row, name, form_of, theirs, mine = {
        "focus": (focus, "edit_focus", _focus_form, {"title": "Their title"}, {"title": "Mine"}),
        "goal": (
            goal,
            "edit_goal",
            _goal_form,
            {"source_note": "Their note"},
            {"source_note": "Mine"},
        ),
        "commitment": (
            commitment,
            "edit_commitment",
            _commitment_form,
            {"how_checked": "Their check"},
            {"how_checked": "Mine"},
        ),
    }[kind]
    url = reverse(f"charter:{name}", args=["riverside", row.pk])
    client = signed_in(world.co_leader)
    read = row.revision
    assert f'name="version" value="{read}"' in client.get(url).content.decode()
    # Someone else saves after the form was read.
    their_values = {**form_of(row, **theirs), "version": read}
    assert client.post(url, their_values).status_code == 302
    answer = client.post(url, {**form_of(row, **mine), "version": read})
    assert answer.status_code == 409
    page = answer.content.decode()
    (their_text,) = theirs.values()
    assert their_text in page and "Mine" in page and "Someone else saved" in page
    row.refresh_from_db()
    (field,) = theirs
    assert getattr(row, field) == their_text and row.revision == read + 1
    # Saving again, having seen theirs, is a choice: the form now carries the current version.
    assert f'name="version" value="{row.revision}"' in page
    assert client.post(url, {**form_of(row, **mine), "version": row.revision}).status_code == 302
    row.refresh_from_db()
    assert getattr(row, field) == "Mine"


@pytest.mark.parametrize("kind", ["foci", "goals", "commitments"])
def test_a_put_with_a_stale_version_answers_409_and_changes_nothing(world, built, kind):
    charter, focus, goal, *_, commitment, _version = built
    row = {"foci": focus, "goals": goal, "commitments": commitment}[kind]
    url = f"/api/v1/networks/riverside/charter/{kind}/{row.pk}"
    client = signed_in(world.co_leader)
    read = client.get(url).json()
    assert read["version"] == 0
    body = {
        "foci": lambda: _focus_form(row),
        "goals": lambda: _goal_form(row),
        "commitments": lambda: _commitment_form(row, attendance_threshold=row.attendance_threshold),
    }[kind]()
    body.pop("lead_group", None)
    text_field = {"foci": "title", "goals": "source_note", "commitments": "how_checked"}[kind]

    def put(text):
        return client.put(
            url, {**body, text_field: text, "version": read["version"]}, "application/json"
        )

    first = put("First")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1
    stale = put("Second")
    assert stale.status_code == 409 and "Someone else saved" in stale.json()["detail"]
    row.refresh_from_db()
    assert getattr(row, text_field) == "First" and row.revision == 1
