"""The collaboration map: who learns with whom, from the network's own records and its surveys.

docs/health.md#collaboration-map. Ties come from other apps through their selectors: people
present at the same activity, members of the same group (a triad, a steering group; a whole
school in a group ties it to the group's other schools), co-authors of an account (and the
schools of its enquiry), a teacher who tried another school's resource and its author (and the
two schools), replies to one another's threads in the staff discussions, exchanges agreed
between two schools (offers taken up, staff loans), and the answers to "people" and
"schools" questions of the network's surveys (an anonymous sheet ties its school to the schools
or people named; a confidential one also gives who named whom, for reciprocity). Pupils are never
nodes: the people are the network's staff and partners. The measures are networkx's
(`netlearn.analytics.ties`); the drawing is server-side SVG beside an accessible table.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.activities import selectors as activity_selectors
from netlearn.analytics import ties
from netlearn.core import charts
from netlearn.discussions import selectors as discussion_selectors
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.exchange import selectors as exchange_selectors
from netlearn.library import selectors as library_selectors
from netlearn.networks import selectors as network_selectors

from .models import NameTarget, QuestionKind, Survey
from .selectors import confidential_sheets_of, sheets_of

YEAR = datetime.timedelta(days=365)
# A gathering bigger than this (a conference) says little about who works with whom.
LARGEST_GATHERING = 40


@dataclass
class Period:
    person_ties: list[tuple[int, int]] = field(default_factory=list)
    school_ties: list[tuple[int, int]] = field(default_factory=list)
    nominations: list[tuple[int, int]] = field(default_factory=list)
    kinds: dict = field(default_factory=lambda: defaultdict(set))


@dataclass
class CollaborationMap:
    people: dict[int, tuple[str, int | None]]
    schools: dict[int, str]
    current: Period
    people_measures: ties.TieMeasures | None
    school_measures: ties.TieMeasures
    previous_people: ties.TieMeasures | None
    previous_schools: ties.TieMeasures
    with_people: bool
    current_school_ties: list[tuple[int, int]] = field(default_factory=list)


def _attendance_ties(network, period: Period, since, until) -> None:
    present = defaultdict(list)
    for occurrence_id, person_id in activity_selectors.attendance_pairs_of(
        network=network, since=since, until=until
    ):
        present[occurrence_id].append(person_id)
    for people in present.values():
        if len(people) > LARGEST_GATHERING:
            continue
        for a, b in combinations(sorted(set(people)), 2):
            period.person_ties.append((a, b))
            period.kinds[(a, b)].add("met at an activity")


def _group_ties(network, period: Period) -> None:
    people, schools = defaultdict(set), defaultdict(set)
    for group_id, _name, _kind, person_id, school_id in network_selectors.group_member_rows(
        network=network
    ):
        if person_id:
            people[group_id].add(person_id)
        if school_id:
            schools[group_id].add(school_id)
    for members in people.values():
        for a, b in combinations(sorted(members), 2):
            period.person_ties.append((a, b))
            period.kinds[(a, b)].add("same group")
    for members in schools.values():
        for a, b in combinations(sorted(members), 2):
            period.school_ties.append((a, b))


def _account_ties(network, period: Period, since, until) -> None:
    """Co-authors of an account (its writer, and those who wrote its enquiry's spiral or taught
    its research lessons) are tied; so are the schools of the enquiry behind it."""
    people, schools = defaultdict(set), defaultdict(set)
    for account_id, person_id in enquiry_selectors.account_authors_of(
        network=network, since=since, until=until
    ):
        people[account_id].add(person_id)
    for account_id, school_id in enquiry_selectors.account_schools_of(
        network=network, since=since, until=until
    ):
        schools[account_id].add(school_id)
    for members in people.values():
        for a, b in combinations(sorted(members), 2):
            period.person_ties.append((a, b))
            period.kinds[(a, b)].add("wrote an account together")
    for members in schools.values():
        for a, b in combinations(sorted(members), 2):
            period.school_ties.append((a, b))


def _trial_ties(network, period: Period, since, until) -> None:
    """A teacher who tried another school's resource is tied to its author, and the schools."""
    for teacher, author, school, resource_school in library_selectors.trials_across_schools(
        network=network, since=since, until=until
    ):
        if author and teacher != author:
            pair = tuple(sorted((teacher, author)))
            period.person_ties.append(pair)
            period.kinds[pair].add("tried a resource of the other")
        period.school_ties.append((school, resource_school))


def _reply_ties(network, period: Period, since, until) -> None:
    """A reply to another person's thread in the network's staff discussions ties the two."""
    for replier, author in discussion_selectors.reply_pairs_of(
        network=network, since=since, until=until
    ):
        pair = tuple(sorted((replier, author)))
        period.person_ties.append(pair)
        period.kinds[pair].add("replied in a discussion")


def _exchange_ties(network, period: Period, since, until) -> None:
    """An exchange agreed between two schools (an offer taken up, a staff loan) ties them."""
    period.school_ties.extend(
        exchange_selectors.school_pairs_of(network=network, since=since, until=until)
    )


def _survey_ties(surveys, period: Period, home: dict[int, int | None]) -> None:
    for survey in surveys:
        questions = {
            str(question.pk): question.names
            for question in survey.questions.all()
            if question.kind == QuestionKind.NAME_GENERATOR
        }
        if not questions:
            continue
        for sheet in sheets_of(survey=survey):
            for key, names in questions.items():
                for chosen in sheet["answers"].get(key, ()):
                    target = chosen if names == NameTarget.SCHOOLS else home.get(chosen)
                    if sheet.get("school") and target:
                        period.school_ties.append((sheet["school"], target))
        if not survey.is_anonymous:
            for person_id, answers in confidential_sheets_of(survey=survey):
                for key, names in questions.items():
                    if names == NameTarget.PEOPLE:
                        for chosen in answers.get(key, ()):
                            period.nominations.append((person_id, chosen))


def _period(network, surveys, home, since, until) -> Period:
    period = Period()
    _attendance_ties(network, period, since, until)
    _group_ties(network, period)
    _account_ties(network, period, since, until)
    _trial_ties(network, period, since, until)
    _reply_ties(network, period, since, until)
    _exchange_ties(network, period, since, until)
    _survey_ties([s for s in surveys if since <= s.created_at < until], period, home)
    return period


def _school_ties_of(period: Period, home: dict[int, int | None]) -> list[tuple[int, int]]:
    made = list(period.school_ties)
    # Nominations count only between schools: who named whom is a respondent's answer.
    for a, b in period.person_ties + period.nominations:
        school_a, school_b = home.get(a), home.get(b)
        if school_a and school_b and school_a != school_b:
            made.append((school_a, school_b))
    return made


def map_of(*, network, with_people: bool, now=None) -> CollaborationMap:
    now = now or timezone.now()
    people = {
        person.pk: person.name
        for person in network_selectors.people_of_network(network=network).filter(is_active=True)
    }
    home = network_selectors.home_schools(network=network, person_ids=list(people))
    schools = dict(network_selectors.schools_in_network(network=network).values_list("pk", "name"))
    surveys = list(Survey.objects.filter(network=network).prefetch_related("questions"))
    current = _period(network, surveys, home, now - YEAR, now + datetime.timedelta(days=1))
    previous = _period(network, surveys, home, now - 2 * YEAR, now - YEAR)
    nodes = {pk: home.get(pk) for pk in people}
    school_nodes = {pk: pk for pk in schools}
    current_school_ties = _school_ties_of(current, home)
    return CollaborationMap(
        people={pk: (name, home.get(pk)) for pk, name in people.items()} if with_people else {},
        schools=schools,
        current=current,
        people_measures=ties.measure(nodes, current.person_ties, current.nominations)
        if with_people
        else None,
        school_measures=ties.measure(school_nodes, current_school_ties),
        previous_people=ties.measure(nodes, previous.person_ties, previous.nominations)
        if with_people
        else None,
        previous_schools=ties.measure(school_nodes, _school_ties_of(previous, home)),
        with_people=with_people,
        current_school_ties=current_school_ties,
    )


def people_graph(found: CollaborationMap) -> nx.Graph:
    made = ties.graph(
        {pk: school for pk, (_name, school) in found.people.items()},
        found.current.person_ties,
    )
    for pk, (name, school) in found.people.items():
        made.nodes[pk]["label"] = name
        made.nodes[pk]["school"] = found.schools.get(school, "")
    return made


def school_graph(found: CollaborationMap) -> nx.Graph:
    made = ties.graph({pk: pk for pk in found.schools}, found.current_school_ties)
    for pk, name in found.schools.items():
        made.nodes[pk]["label"] = name
    return made


def graph_for_export(found: CollaborationMap) -> nx.Graph:
    """People when the viewer may see them, else schools; string ids for GraphML."""
    made = people_graph(found) if found.with_people else school_graph(found)
    return nx.relabel_nodes(made, {node: str(node) for node in made.nodes})


def draw(graph: nx.Graph, measures: ties.TieMeasures, *, title: str) -> str:
    """Nodes on a circle, grouped by school; brokers drawn larger, isolated members hollow."""
    size = 520
    drawing = charts.Drawing(
        size,
        size,
        title=title,
        description=_(
            "%(nodes)s members and %(ties)s ties. Larger circles are brokers (highest "
            "betweenness); hollow circles have no tie. The table beside the map lists the same."
        )
        % {"nodes": measures.nodes, "ties": measures.ties},
        id_prefix="health-map",
        class_="chart",
    )
    order = sorted(graph.nodes, key=lambda node: (graph.nodes[node].get("group", ""), str(node)))
    centre, radius = size / 2, size / 2 - 60
    place = {}
    for index, node in enumerate(order):
        angle = 2 * math.pi * index / max(len(order), 1)
        place[node] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    for a, b in graph.edges:
        across = graph.nodes[a].get("group") != graph.nodes[b].get("group")
        drawing.line(
            *place[a],
            *place[b],
            stroke=charts.INK if across else charts.GRID,
            stroke_width=1.5 if across else 1,
        )
    brokers = {node for node, _value in measures.brokers}
    isolates = set(measures.isolates)
    for node in order:
        x, y = place[node]
        label = graph.nodes[node].get("label", str(node))
        tip = (
            label
            + (" · " + _("broker") if node in brokers else "")
            + (" · " + _("no tie") if node in isolates else "")
        )
        drawing.circle(
            x,
            y,
            9 if node in brokers else 5,
            fill="white" if node in isolates else charts.INK,
            stroke=charts.INK,
            tip=tip,
        )
    return drawing.svg()
