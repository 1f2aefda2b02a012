"""Registers taken at the same moment by several people, through the pages and the API, each on
its own database connection: every one is answered, none is a server error (issue 23 saw the
unique attendance row raise IntegrityError as a 500 on PostgreSQL), and each invitee has one line.

Skipped on an in-memory SQLite database, whose shared cache refuses a second writer at once
instead of waiting; SQLite's concurrent writes are tested against `netlearn serve` on a file
(test_concurrent_writes_served.py).
"""

from django.test import Client
from django.urls import reverse

from netlearn.activities.models import Attendance
from netlearn.core.tests.concurrency import THREADED, at_once, status

from .factories import make_walk, move_into_past

pytestmark = THREADED


def test_registers_taken_at_once_are_all_answered_with_one_line_each(world):
    walk = make_walk(world)
    move_into_past(walk)
    occurrence = walk.occurrences.get()
    page = reverse("activities:register", args=[world.network.slug, walk.pk, occurrence.pk])
    api = f"/api/v1/activities/{walk.pk}/occurrences/{occurrence.pk}/attendance"

    def organiser():
        client = Client()
        client.force_login(world.co_leader)
        return client

    def take_register():
        client = organiser()
        return lambda: client.post(page, {"present": [world.teacher.pk]})

    def mark(present):
        client = organiser()
        body = {"person_id": world.teacher.pk, "present": present}
        return lambda: client.post(api, body, content_type="application/json")

    calls = [take_register() for _ in range(4)] + [mark(n % 2 == 0) for n in range(4)]
    assert [status(answer) for answer in at_once(calls)] == [302] * 4 + [200] * 4
    invitees = walk.invitations.count()
    assert occurrence.attendances.count() == invitees
    assert Attendance.objects.filter(occurrence=occurrence, person=world.teacher).count() == 1
