"""Sixteen people answer at once against `netlearn serve` itself, and each gets an answer: a place
or the waiting list, never a server error. On the embedded default (a SQLite file) writers queue
for the write lock (config/settings/base.py); on PostgreSQL they queue for the occurrence's row.

Half answer through the pages with a signed-in session (the session and its messages are
written too), half through the API with a personal access token. The server runs as in
accounts/tests/test_limits_served.py: the embedded settings, a temporary NETLEARN_HOME, several
worker processes with several threads each.
"""

import concurrent.futures
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from netlearn.accounts.tests.test_limits_served import (
    drop_postgresql_database,
    free_port,
    migrated_database,
    netlearn_command,
    server_environment,
    wait_for_port,
)

# With the other served tests on one xdist worker (`--dist loadgroup`): servers do not compete
# with one another for the cores.
pytestmark = pytest.mark.xdist_group("served")

WRITERS = 16
PLACES = 5

SET_UP = f"""
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from netlearn.accounts import services as accounts
from netlearn.activities.tests.factories import make_activity
from netlearn.networks import services as networks
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.networks.tests.world import build_world

world = build_world()
activity = make_activity(world, capacity={PLACES})
occurrence = activity.occurrences.get()
people = []
for n in range({WRITERS}):
    person = PersonFactory(username=f"writer{{n}}", name=f"Writer {{n}}")
    networks.add_staff_post(
        person=person, school=world.school_a, job_title="Teacher", level=PostLevel.TEACHER
    )
    # Signed in without a password check: hashing sixteen passwords would be the test's cost.
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    _, secret = accounts.create_access_token(person=person, name="writes", by=person)
    people.append({{"id": person.pk, "session": session.session_key, "token": secret}})
print(json.dumps({{
    "network": world.network.slug, "activity": activity.pk, "occurrence": occurrence.pk,
    "people": people,
}}))
"""

COUNT_ANSWERS = """
import json
from netlearn.activities.models import Rsvp
print(json.dumps(sorted(Rsvp.objects.values_list("person_id", "response"))))
"""


def _last_json(output: str):
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def served(tmp_path_factory, migrated_homes):
    home = tmp_path_factory.mktemp("netlearn-writes")
    database_url = migrated_database(home, migrated_homes)
    port = free_port()
    log = open(home / "serve.log", "w+")  # noqa: SIM115
    process = None
    try:
        setup = netlearn_command(home, "shell", "-c", SET_UP)
        output, _ = setup.communicate(timeout=300)
        assert setup.returncode == 0, output
        cast = _last_json(output)
        process = subprocess.Popen(
            [sys.executable, "-m", "netlearn", "serve", "--port", str(port)],
            env=server_environment(home),
            cwd=home,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(port, process, path="/healthz")
        yield home, port, cast, Path(log.name)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=60)
        log.close()
        if database_url:
            drop_postgresql_database(database_url)


def _answer(port: int, cast: dict, n: int) -> tuple[int, str]:
    person = cast["people"][n]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        if n % 2:
            path = f"/api/v1/activities/{cast['activity']}/occurrences/{cast['occurrence']}/rsvp"
            headers = {
                "Authorization": f"Bearer {person['token']}",
                "Content-Type": "application/json",
            }
            connection.request("POST", path, json.dumps({"response": "going"}), headers)
        else:
            path = (
                f"/n/{cast['network']}/activities/{cast['activity']}/"
                f"dates/{cast['occurrence']}/rsvp/"
            )
            csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as the cookie holds
            headers = {
                "Cookie": f"sessionid={person['session']}; csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            form = urllib.parse.urlencode({"response": "going", "csrfmiddlewaretoken": csrf})
            connection.request("POST", path, form, headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_sixteen_people_answering_at_once_each_get_a_place_or_the_waiting_list(served):
    home, port, cast, log = served
    with concurrent.futures.ThreadPoolExecutor(max_workers=WRITERS) as pool:
        answers = list(pool.map(lambda n: _answer(port, cast, n), range(WRITERS)))

    statuses = [status for status, _ in answers]
    # Pages answer with a redirect to the activity, the API with the answer itself.
    assert statuses == [302 if n % 2 == 0 else 200 for n in range(WRITERS)], (
        statuses,
        log.read_text()[-3000:],
    )
    assert "database is locked" not in log.read_text()
    api_answers = [json.loads(body)["response"] for status, body in answers if status == 200]
    assert set(api_answers) <= {"going", "waiting"}

    process = netlearn_command(home, "shell", "-c", COUNT_ANSWERS)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    rows = _last_json(output)
    assert sorted(person for person, _ in rows) == sorted(p["id"] for p in cast["people"])
    responses = [response for _, response in rows]
    assert responses.count("going") == PLACES
    assert responses.count("waiting") == WRITERS - PLACES
