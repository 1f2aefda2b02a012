"""The reports' objects for the authorization walks (see netlearn/web/tests/walk.py): in both
networks a published progress report and a writing day with the enquiry walk's published account
filed under it; every text field of the foreign network's carries SENTINEL."""

from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.models import Account
from netlearn.enquiry.tests import walk as enquiry_walk
from netlearn.enquiry.tests.factories import loaded_account
from netlearn.networks.tests.world import SENTINEL

from .factories import published_report, writing_day


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    leader = world.foreign_co_leader if foreign else world.co_leader
    report = published_report(
        world,
        network=network,
        by=leader,
        title=f"Autumn term{mark}",
        summary=f"What the term taught us{mark}",
    )
    day = writing_day(world, network=network, by=leader, title=f"Writing day{mark}")
    account_id = enquiry_walk.object_ids(world, foreign=foreign)["account_id"]
    account = loaded_account(Account.objects.get(pk=account_id), leader)
    enquiry_services.link_account_to_writing_day(account=account, writing_day=day, by=leader)
    return {"progress_report_id": report.pk, "writing_day_id": day.pk}


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_reports_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
