"""Measures of a collaboration network with networkx: plain functions, no Django.

`measure(nodes, ties, directed_ties)`: nodes map an id to its group (a person's school); ties are
undirected pairs (met at an activity, sit in the same group); directed ties are nominations
("whom do you go to for advice"), of which only the reciprocity is returned (who named whom
stays out of the graph: it is a respondent's answer). The figures
are networkx's own: density, share of ties across groups, betweenness brokers, isolates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

BROKERS = 5


@dataclass(frozen=True)
class TieMeasures:
    nodes: int
    ties: int
    density: float
    across_share: float | None
    reciprocity: float | None
    brokers: list[tuple[Hashable, float]] = field(default_factory=list)
    isolates: list[Hashable] = field(default_factory=list)
    betweenness: dict = field(default_factory=dict)
    degree: dict = field(default_factory=dict)


def graph(
    nodes: Mapping[Hashable, Hashable | None], ties: Iterable[tuple[Hashable, Hashable]]
) -> nx.Graph:
    """An undirected graph of the nodes (attribute `group`) and the ties between them, each tie
    weighted by how many times it was seen; ties to unknown nodes and loops are left out."""
    made = nx.Graph()
    for node, group in nodes.items():
        made.add_node(node, group="" if group is None else str(group))
    for a, b in ties:
        if a == b or a not in nodes or b not in nodes:
            continue
        if made.has_edge(a, b):
            made[a][b]["weight"] += 1
        else:
            made.add_edge(a, b, weight=1)
    return made


def measure(
    nodes: Mapping[Hashable, Hashable | None],
    ties: Iterable[tuple[Hashable, Hashable]],
    directed_ties: Iterable[tuple[Hashable, Hashable]] = (),
) -> TieMeasures:
    made = graph(nodes, ties)
    nominations = nx.DiGraph()
    nominations.add_nodes_from(nodes)
    for a, b in directed_ties:
        if a != b and a in nodes and b in nodes:
            nominations.add_edge(a, b)
    edges = made.number_of_edges()
    across = sum(1 for a, b in made.edges if made.nodes[a]["group"] != made.nodes[b]["group"])
    betweenness = nx.betweenness_centrality(made) if made.number_of_nodes() else {}
    ranked = sorted(
        ((node, value) for node, value in betweenness.items() if value > 0),
        key=lambda pair: (-pair[1], str(pair[0])),
    )
    return TieMeasures(
        nodes=made.number_of_nodes(),
        ties=edges,
        density=nx.density(made) if made.number_of_nodes() > 1 else 0.0,
        across_share=across / edges if edges else None,
        reciprocity=nx.reciprocity(nominations) if nominations.number_of_edges() else None,
        brokers=ranked[:BROKERS],
        isolates=sorted(nx.isolates(made), key=str),
        betweenness=betweenness,
        degree=dict(made.degree()),
    )
