from decimal import Decimal

from netlearn.exchange import services
from netlearn.exchange.models import IncomeSource, Purpose


def make_budget(world, *, purpose=Purpose.POOLED, year=2026, income="1000", network=None, by=None):
    """A budget held by the network's co-leader, with `income` in it from a grant."""
    network = network or world.network
    by = by or (world.foreign_co_leader if network == world.foreign_network else world.co_leader)
    budget = services.create_budget(network=network, year=year, purpose=purpose, holder=by, by=by)
    if income:
        services.record_income(
            budget=budget,
            amount=Decimal(income),
            by=by,
            description="Grant for the year",
            source=IncomeSource.GRANT,
            funder="National College",
            funder_reference="NC-2026-17",
        )
    return budget
