"""Engagement against outcomes: each school's part in the network set beside its value added.

docs/health.md#engagement-against-outcomes. Engagement over the last twelve months comes from
the other apps through their selectors: how often the school's people were present at the
network's activities (activities), how many of the network's enquiries the school takes part in
(enquiry), how many times its teachers tried another school's resource (library), and how many
schools it is tied to on the collaboration map. Value added is the impact app's own published
figure (`impact.selectors.value_added_of_networks`, the latest finished model of the network's
pupil data): a school whose value added rests on too few pupils already reads `c` there, through
`netlearn.analytics.disclosure`, and nothing here works it back. The rank correlation across
schools is drawn only from published figures. Set side by side, the two say nothing of which
caused which: the page says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netlearn.activities import selectors as activity_selectors
from netlearn.analytics import disclosure
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.impact import selectors as impact_selectors
from netlearn.library import selectors as library_selectors

from . import collaboration

YEAR = datetime.timedelta(days=365)
# Fewer schools with a published value added than this, and no correlation is given.
FEWEST_FOR_ASSOCIATION = 5
NOT_IN_MODEL = disclosure.Figure(None, None, "—")

CAUTION = _(
    "This sets engagement beside value added: it shows an association, not a cause. Schools "
    "that take part more may differ in many other ways (their size, their leaders, their pupils), "
    "and a school doing well may have more time to take part, not the other way round."
)
MEASURES = (
    ("attendance", _("Attendance at activities")),
    ("enquiries", _("Enquiries")),
    ("trials", _("Trials of others' resources")),
    ("ties", _("Schools tied to")),
)


@dataclass
class SchoolRow:
    school_id: int
    school: str
    attendance: int
    enquiries: int
    trials: int
    ties: int
    value_added: disclosure.Figure = NOT_IN_MODEL
    lower: disclosure.Figure = NOT_IN_MODEL
    upper: disclosure.Figure = NOT_IN_MODEL
    against_peers: disclosure.Figure = NOT_IN_MODEL


@dataclass(frozen=True)
class Association:
    key: str
    label: str
    schools: int
    rho: float | None


@dataclass
class EngagementAgainstOutcomes:
    since: datetime.datetime
    until: datetime.datetime
    rows: list[SchoolRow] = field(default_factory=list)
    measure: str = ""
    years: str = ""
    problem: str = ""
    associations: list[Association] = field(default_factory=list)

    @property
    def has_value_added(self) -> bool:
        return bool(self.measure) and not self.problem


def _latest_report(network):
    reports = impact_selectors.value_added_of_networks(networks=[network]).get(network.pk, [])
    usable = [report for report in reports if not report.problem]
    return (usable or reports or [None])[-1]


def _association(rows: list[SchoolRow], key: str, label) -> Association:
    shown = [row for row in rows if row.value_added.value is not None]
    if len(shown) < FEWEST_FOR_ASSOCIATION:
        return Association(key, str(label), len(shown), None)
    engagement = [getattr(row, key) for row in shown]
    outcome = [row.value_added.value for row in shown]
    if len(set(engagement)) < 2 or len(set(outcome)) < 2:
        return Association(key, str(label), len(shown), None)
    # Imported here: scipy.stats takes about a second to import, which every `netlearn` command
    # (migrate, backup, shell…) paid while loading the URLs for its system checks.
    from scipy import stats

    rho = stats.spearmanr(engagement, outcome).statistic
    return Association(key, str(label), len(shown), round(float(rho), 2))


def engagement_of(*, network, only_school_ids=None, now=None) -> EngagementAgainstOutcomes:
    """Every school of the network (or only those named, a school lead's own), with its
    engagement over the last twelve months and its published value added. A fixed number of
    queries however many schools (the map adds a few per survey with name questions)."""
    now = now or timezone.now()
    since, until = now - YEAR, now + datetime.timedelta(days=1)
    found = EngagementAgainstOutcomes(since=since, until=until)
    schools = collaboration.map_of(network=network, with_people=False, now=now)
    attendance = activity_selectors.presence_by_school(network=network, since=since, until=until)
    enquiries = enquiry_selectors.enquiries_by_school(network=network, since=since)
    trials: dict[int, int] = {}
    for _teacher, _author, school, _other in library_selectors.trials_across_schools(
        network=network, since=since, until=until
    ):
        trials[school] = trials.get(school, 0) + 1
    rows = {
        pk: SchoolRow(
            school_id=pk,
            school=name,
            attendance=attendance.get(pk, 0),
            enquiries=enquiries.get(pk, 0),
            trials=trials.get(pk, 0),
            ties=schools.school_measures.degree.get(pk, 0),
        )
        for pk, name in schools.schools.items()
    }
    report = _latest_report(network)
    if report is not None:
        found.measure = report.run.dataset.measure.name
        found.years = report.label
        found.problem = report.problem
        for line in report.schools:
            row = rows.get(line.school_id)
            if row is not None:
                row.value_added, row.lower, row.upper = line.effect, line.lower, line.upper
                row.against_peers = line.difference
    ordered = sorted(rows.values(), key=lambda row: (row.school.casefold(), row.school_id))
    if only_school_ids is None:
        found.rows = ordered
        if found.has_value_added:
            found.associations = [_association(ordered, key, label) for key, label in MEASURES]
    else:
        found.rows = [row for row in ordered if row.school_id in set(only_school_ids)]
    return found
