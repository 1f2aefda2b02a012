"""An attacker holding the database (or a copy of it) and the logs tries to link votes to voters.

Votes are cast for real, one committed transaction each (a transactional test), so the rows carry
the marks a production database gives them: SQLite rowid and scan order, PostgreSQL xmin, ctid and
scan order, primary keys, timestamps, and every log record written meanwhile. The attacker looks
for any row that carries a choice (a row of any model pointing at a poll option, and the option
rows themselves) and tries every link named in the threat model.

Proof of "no better than chance": the same eight pupils vote in the same order in two polls, the
second time each choosing differently while the totals stay the same. An attack that reads
anything but the totals must then guess differently in the two polls; if each attack's guesses are
the same in both, they do not depend on the choices at all, so none beats chance.
"""

import logging
import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from netlearn.config.api import api
from netlearn.discussions import selectors, services
from netlearn.discussions.models import Poll, PollOption, Voter

from .factories import in_days, make_pupil, pupil_space

pytestmark = pytest.mark.django_db(transaction=True)

# Option positions chosen by the eight voters, in the order they vote. The second list gives every
# voter another choice and keeps the totals (3, 3, 2).
FIRST = [0, 1, 1, 0, 2, 0, 1, 2]
SECOND = [1, 0, 2, 1, 0, 1, 2, 0]
LABELS = ["Chess club", "Coding club", "Choir practice"]


def _physical_columns() -> list[tuple[str, str]]:
    """Marks the database gives every row, as (name, SQL)."""
    if connection.vendor == "postgresql":
        return [("xmin", "xmin::text::bigint"), ("ctid", "ctid::text")]
    if connection.vendor == "sqlite":
        return [("rowid", "rowid")]
    raise AssertionError(f"No attack written for {connection.vendor}")


def _rows(model, where_sql: str, params: list) -> list[dict]:
    """Every row of `model` matched by `where_sql`, with its marks, in the table's scan order."""
    table = connection.ops.quote_name(model._meta.db_table)
    marks = _physical_columns()
    fields = list(model._meta.concrete_fields)
    columns = [connection.ops.quote_name(field.column) for field in fields]
    select = ", ".join([sql for _, sql in marks] + columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} WHERE {where_sql}", params)  # noqa: S608
        found = cursor.fetchall()
    names = [name for name, _ in marks] + [field.column for field in fields]
    rows = []
    for scan_position, values in enumerate(found):
        row = dict(zip(names, values, strict=True))
        row["scan order"] = scan_position
        if "ctid" in row:
            block, offset = row["ctid"].strip("()").split(",")
            row["ctid"] = (int(block), int(offset))
        rows.append(row)
    return rows


# Marks that order rows within one table only, and marks on one clock shared by every table.
def _per_table(model) -> list[str]:
    marks = [name for name, _ in _physical_columns() if name != "xmin"]
    return [*marks, "scan order", model._meta.pk.column]


def _shared_clock(model) -> list[str]:
    times = [
        field.column
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField | models.DateField)
    ]
    return (["xmin"] if connection.vendor == "postgresql" else []) + times


def choice_rows(poll: Poll) -> list[tuple[str, type, list[dict]]]:
    """Every table holding rows that carry a choice in `poll`: its option rows, and rows of any
    model with a foreign key to an option (the ballots of the old design)."""
    position = {option.pk: option.position for option in poll.options.all()}
    marks = ", ".join(["%s"] * len(position))
    options = _rows(PollOption, f"id IN ({marks})", list(position))
    for row in options:
        row["choice"] = position[row["id"]]
    found = [("option", PollOption, options)]
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is PollOption:
                rows = _rows(model, f"{field.column} IN ({marks})", list(position))
                for row in rows:
                    row["choice"] = position[row[field.column]]
                found.append((model._meta.label, model, rows))
    return found


def _key(value):
    if hasattr(value, "timestamp"):
        return value.timestamp()
    return value.int if hasattr(value, "int") else value


def _kind(value) -> str:
    return type(value).__name__


def _only(choices: set[int]) -> int | None:
    return next(iter(choices)) if len(choices) == 1 else None


def _paired_in_order(voter_values: list, rows: list[dict], attribute: str) -> list:
    """The k-th voter by `attribute` with the k-th choice row (round again if fewer rows)."""
    if not rows or _kind(voter_values[0]) != _kind(rows[0][attribute]):
        return [None] * len(voter_values)
    rows = sorted(rows, key=lambda row: _key(row[attribute]))
    ranked = sorted(range(len(voter_values)), key=lambda index: _key(voter_values[index]))
    paired = {index: rows[rank % len(rows)]["choice"] for rank, index in enumerate(ranked)}
    return [paired[index] for index in range(len(voter_values))]


def _near(value, rows: list[dict], attribute: str, how: str) -> int | None:
    """The choice of the row written by the same or the neighbouring transaction or moment."""
    values = {id(row): _key(row[attribute]) for row in rows if row[attribute] is not None}
    if value is None or not values:
        return None
    value = _key(value)
    if how == "same":
        picked = [v for v in values.values() if v == value]
    elif how == "nearest":
        best = min(abs(v - value) for v in values.values())
        picked = [v for v in values.values() if abs(v - value) == best]
    elif how == "first at or after":
        picked = [min((v for v in values.values() if v >= value), default=None)]
    else:  # last at or before
        picked = [max((v for v in values.values() if v <= value), default=None)]
    picked = {v for v in picked if v is not None}
    return _only({row["choice"] for row in rows if values.get(id(row)) in picked})


NEAR = ("same", "nearest", "first at or after", "last at or before")


def link_attempts(poll: Poll, voters: list, log_lines: dict[int, list[str]]) -> dict[str, list]:
    """Each attack's guess of each voter's option position (None: no guess), voters in order."""
    voter_rows = {row["person_id"]: row for row in _rows(Voter, "poll_id = %s", [poll.pk])}
    for voter in voters:  # when the voter signed in is a time that follows them too
        voter.refresh_from_db(fields=["last_login"])
        voter_rows[voter.pk]["last_login"] = voter.last_login
    guesses: dict[str, list] = {}
    for table, model, rows in choice_rows(poll):
        for attribute in _per_table(model):
            own = _per_table(Voter)
            voter_attribute = attribute if attribute in own else own[-1]  # the key against the key
            voter_values = [voter_rows[voter.pk][voter_attribute] for voter in voters]
            guesses[f"{table}: {attribute}, paired in order"] = _paired_in_order(
                voter_values, rows, attribute
            )
        for attribute in _shared_clock(model):
            for voter_attribute in [*_shared_clock(Voter), "last_login"]:
                if (attribute == "xmin") != (voter_attribute == "xmin"):
                    continue
                for how in NEAR:
                    guesses[f"{table}: {attribute} against {voter_attribute}, {how}"] = [
                        _near(voter_rows[voter.pk][voter_attribute], rows, attribute, how)
                        for voter in voters
                    ]
        if not [name for name in _shared_clock(model) if name != "xmin"]:
            # No time on these rows: a time-based link has nothing to hold on to.
            guesses[f"{table}: timestamps, none stored"] = [None] * len(voters)
    labels = [option.label.lower() for option in poll.options.all()]
    option_ids = [option.pk for option in poll.options.all()]
    guesses["log lines"] = []
    for voter in voters:
        said = " ".join(log_lines.get(voter.pk, [])).lower()
        named = {position for position, label in enumerate(labels) if label in said}
        named |= {
            position
            for position, option_id in enumerate(option_ids)
            if re.search(rf"option\w*\W+{option_id}\b", said)
        }
        guesses["log lines"].append(_only(named))
    return guesses


class _Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        self.lines.append(f"{record.name} {message} {record.args!r} {record.__dict__!r}")


def _cast(poll, voters, choices, *, through) -> dict[int, list[str]]:
    """Each voter votes in turn, in their own request or transaction; returns each one's logs."""
    options = list(poll.options.all())
    handler = _Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    lines = {}
    try:
        for voter, choice in zip(voters, choices, strict=True):
            handler.lines = []
            if through == "page":
                client = Client()
                client.force_login(voter)
                response = client.post(
                    reverse("discussions:vote", args=[poll.pk]), {"option": options[choice].pk}
                )
                assert response.status_code == 302, response.content[:500]
            else:
                services.vote(poll=poll, by=voter, option=options[choice])
            lines[voter.pk] = handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    return lines


@pytest.mark.parametrize("through", ["page", "service"])
def test_nothing_stored_or_logged_links_a_vote_to_its_voter(world, through):
    space = pupil_space(world)
    pupils = [make_pupil(world.school_a, username=f"voter{n}", name=f"Voter {n}") for n in range(8)]
    polls, guesses = [], []
    for choices in (FIRST, SECOND):
        poll = services.create_poll(
            space=space, by=world.co_leader, question="Which?", options=LABELS, closes_at=in_days(2)
        )
        log_lines = _cast(poll, pupils, choices, through=through)
        polls.append(poll)
        guesses.append(link_attempts(poll, pupils, log_lines))

    for poll in polls:  # the votes were all counted
        assert selectors.poll_results(poll=poll, now=in_days(3)).total == len(FIRST)
    assert all(first != second for first, second in zip(FIRST, SECOND, strict=True))
    attacks = set(guesses[0]) | set(guesses[1])
    assert {"log lines"} < attacks
    expected = ["scan order", "id", "timestamps"] + [name for name, _ in _physical_columns()]
    for attribute in expected:  # every link of the threat model was tried
        assert any(f": {attribute}" in attack for attack in attacks), attribute
    following = {}
    for attack in sorted(attacks):
        first, second = guesses[0][attack], guesses[1][attack]
        if first != second:
            right = sum(g == c for g, c in zip(first, FIRST, strict=True)) + sum(
                g == c for g, c in zip(second, SECOND, strict=True)
            )
            following[attack] = f"{right} of {2 * len(FIRST)} guessed right"
    assert following == {}, "these links follow the choices"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="xmin and ctid exist only on PostgreSQL; the SQLite run tries rowid instead",
)
def test_on_postgresql_every_option_row_shares_one_transaction_and_moves_on_every_vote(world):
    space = pupil_space(world)
    pupils = [make_pupil(world.school_a, username=f"voter{n}") for n in range(2)]
    poll = services.create_poll(
        space=space, by=world.co_leader, question="Which?", options=LABELS, closes_at=in_days(2)
    )
    option_ids = list(poll.options.values_list("pk", flat=True))
    before = _rows(PollOption, "poll_id = %s", [poll.pk])
    _cast(poll, pupils, [2, 0], through="service")
    after = _rows(PollOption, "poll_id = %s", [poll.pk])
    assert len(after) == len(option_ids)
    assert len({row["xmin"] for row in after}) == 1  # written together, whichever was chosen
    where = {row["id"]: row["ctid"] for row in before}
    assert all(row["ctid"] != where[row["id"]] for row in after)  # each moved, chosen or not


def test_ballots_cast_before_the_tally_become_its_counts(world):
    """The data migration turns each option's ballots into its count and keeps every vote."""
    before = [("discussions", "0004_poll_options_keep_a_tally")]
    after = [("discussions", "0005_count_ballots_into_tallies")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    space_id = pupil_space(world).pk
    Poll_, Option, Ballot = (
        old.get_model("discussions", name) for name in ("Poll", "PollOption", "Ballot")
    )
    poll = Poll_.objects.create(space_id=space_id, question="Which?", closes_at=in_days(1))
    chess, choir = (Option.objects.create(poll=poll, label=label) for label in ("Chess", "Choir"))
    for option in [chess, choir, choir, choir]:
        Ballot.objects.create(poll=poll, option=option)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    counted = executor.loader.project_state(after).apps.get_model("discussions", "PollOption")
    assert dict(counted.objects.filter(poll_id=poll.pk).values_list("label", "votes")) == {
        "Chess": 1,
        "Choir": 3,
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("discussions"))


def test_the_api_has_no_way_to_vote_or_read_a_vote(world):
    """Polls stay out of the API (discussions/api.py), so the page is the only voting path and
    the test above covers it; no API response can carry a choice."""
    schema_paths = list(api.get_openapi_schema()["paths"])
    assert schema_paths and not [path for path in schema_paths if re.search("poll|vote", path)]
    space = pupil_space(world)
    poll = services.create_poll(
        space=space, by=world.co_leader, question="Which?", options=LABELS, closes_at=in_days(2)
    )
    client = Client()
    client.force_login(world.pupil)
    for url in (
        f"/api/v1/discussions/polls/{poll.pk}/vote",
        f"/api/v1/discussions/polls/{poll.pk}",
    ):
        assert client.post(url, {"option": poll.options.first().pk}).status_code == 404
    assert not Voter.objects.exists()
