"""Golden threads for the demo: what Tweedmouth's focus lacked to read from goal to difference.

North Hartlepool (lesson study triads, activities, KS2 outcomes) and Network B (a shared enquiry
and a PDSA cycle on numeracy) already hang their enquiries, activities and outcome data on their
charters' foci, so their threads read from the seed data alone. Tweedmouth's transition focus has
meetings serving it but no enquiry: the lead learners add a PDSA cycle on its goal, with a run
chart, and publish its account for every network on Netlearn (so other networks find it under
"Shared with me").

Network B's numeracy focus has its PDSA cycle and the KS3 pupil files with their models
(`impact.demo`) but nothing joining them: its KS3 goal takes its figures from the files' measure,
so the thread shows each school's value added, and the cycle's group writes up what it found.

`load(*, admin)` finds Tweedmouth by slug and leaves it alone once an enquiry serves its focus;
Network B once its goal is linked.
Everything is written through the owning apps' services, as the network's own staff would.
"""

import datetime
from decimal import Decimal

from netlearn.charter import selectors as charter_selectors
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.models import Audience, Method
from netlearn.impact import selectors as impact_selectors
from netlearn.impact import services as impact_services
from netlearn.networks import selectors as network_selectors

D = datetime.date
# Pupils settled by half term, % of the new Year 5 intake in the middle schools, week by week:
# a shift upwards once the shared thinking starter began (week 6).
SETTLED = [58, 61, 57, 60, 59, 66, 68, 71, 70, 74, 76, 75]


def load(*, admin) -> None:
    _tweedmouth(admin)
    _network_b(admin)


def _tweedmouth(admin) -> None:
    network = network_selectors.network_with_slug(slug="tweedmouth")
    if network is None:
        return
    focus = (
        charter_selectors.foci_of_network(network=network)
        .filter(title__icontains="transition")
        .first()
    )
    group = network_selectors.groups_of(network=network).filter(name="Lead learners group").first()
    if focus is None or group is None:
        return
    if enquiry_selectors.enquiries_serving(viewer=admin, focus=focus).exists():
        return
    goal = charter_selectors.goals_of(focus=focus).first()
    people = list(enquiry_selectors.group_people(group=group))
    if len(people) < 2:
        return
    lead, reviewer = people[0], people[1]
    enquiry = enquiry_services.start_enquiry(
        network=network,
        by=lead,
        question="Does a shared 'thinking for learning' starter in the first weeks help new "
        "Year 5 pupils settle into middle school?",
        method=Method.PDSA,
        group=group,
        focus=focus,
        goal=goal,
        summary="Every middle school opens the day with the same thinking starter the first "
        "schools taught in Year 4; pupils say each Friday whether they feel settled.",
        started=D(2004, 9, 6),
        measure="New Year 5 pupils who say they feel settled",
        measure_unit="% of pupils",
    )
    enquiry = enquiry_selectors.enquiry_for(viewer=lead, network=network, enquiry_id=enquiry.pk)
    enquiry_services.add_cycle(
        enquiry=enquiry,
        by=lead,
        change="The Year 4 thinking starter, taught again every morning in Year 5",
        prediction="More pupils will say they feel settled within three weeks.",
        started=D(2004, 10, 11),
    )
    for week, value in enumerate(SETTLED):
        enquiry_services.add_data_point(
            enquiry=enquiry,
            by=lead,
            measured_on=D(2004, 9, 10) + datetime.timedelta(days=7 * week),
            value=Decimal(value),
        )
    account = enquiry_services.write_account(
        enquiry=enquiry,
        by=lead,
        title="A familiar starter helps pupils settle after the move",
        question="Does meeting the same thinking starter in the new school help pupils settle?",
        what_we_tried="The middle schools taught the Year 4 thinking starter every morning for "
        "the first half term, and asked pupils each Friday whether they felt settled.",
        what_we_learned="After the starter began, the share of pupils feeling settled rose and "
        "stayed above the median: a shift on the run chart, not chance.",
        what_others_could_try="Agree one starter across the tiers and teach it on both sides of "
        "the move.",
        audience=Audience.ALL_NETWORKS,
    )
    account = enquiry_selectors.account_for(viewer=reviewer, network=network, account_id=account.pk)
    enquiry_services.review_account(account=account, by=reviewer)
    account = enquiry_selectors.account_for(viewer=reviewer, network=network, account_id=account.pk)
    enquiry_services.publish_account(account=account, by=reviewer)


def _network_b(admin) -> None:
    network = network_selectors.network_with_slug(slug="network-b")
    if network is None:
        return
    goal = (
        charter_selectors.goals_of_network(network=network)
        .filter(measure__startswith="Students' average point score")
        .first()
    )
    measure = impact_selectors.measures_of(network=network).filter(code="ks3-aps").first()
    if (
        goal is None
        or measure is None
        or goal.pk in impact_selectors.goal_links_of(network=network)
    ):
        return
    impact_services.link_goal(goal=goal, measure=measure, by=admin)
    enquiry = (
        enquiry_selectors.enquiries_serving(viewer=admin, focus=goal.focus)
        .filter(method=Method.PDSA)
        .first()
    )
    if enquiry is None or enquiry.group_id is None:
        return
    people = list(enquiry_selectors.group_people(group=enquiry.group))
    if len(people) < 2:
        return
    lead, reviewer = people[0], people[1]
    enquiry = enquiry_selectors.enquiry_for(viewer=lead, network=network, enquiry_id=enquiry.pk)
    account = enquiry_services.write_account(
        enquiry=enquiry,
        by=lead,
        title="Five-minute number starters in Year 8",
        question="Do daily five-minute starters raise Year 8 recall of number facts?",
        what_we_tried="Three high schools opened every Year 8 mathematics lesson with the same "
        "five-minute number-facts starter for a term, and tested recall each fortnight.",
        what_we_learned="Recall rose steadily once the starters began: a shift and a trend on the "
        "run chart. Whether it reaches the end of Key Stage 3 is for the value added to show.",
        what_others_could_try="Share one bank of starters across the schools and test recall "
        "the same way in each.",
        audience=Audience.NETWORK,
    )
    account = enquiry_selectors.account_for(viewer=reviewer, network=network, account_id=account.pk)
    enquiry_services.review_account(account=account, by=reviewer)
    account = enquiry_selectors.account_for(viewer=reviewer, network=network, account_id=account.pk)
    enquiry_services.publish_account(account=account, by=reviewer)
