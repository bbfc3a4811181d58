"""The mosaic as a networkx graph, and what it lets an outsider infer.

Nodes: people, employers, teams, sensitive projects, clearances (SCHEME:LEVEL), sites, and posts that titles
name but no profile holds ("Head of Sonar Systems" when only the deputy is on the network). Edges say what a
profile states (`works_at`, `in_team`, `works_on`, `holds`, `based_at`) or what titles imply (`reports_to`,
with `inferred` true and the words it rests on in `basis`). Everything in the graph is what the profiles
already publish; GraphML (Gephi, Maltego) carries exactly that.

Inferences, each a plain list for the report:
- rosters: who names each sensitive project, by project;
- reporting lines: stated ("Deputy to the Chief Engineer", "reporting to the Head of X") and matched to the
  person at the same employer who holds that post, or else to the post itself; and a team's members under the
  person whose title says they lead it ("Head of Sonar Systems" over "Sonar Systems Engineer");
- clusters: two or more cleared people at one site of one employer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from counterpitch.audit.mosaic import PersonExtract
from counterpitch.audit.titles import holds_post, in_team, norm

#: Members a leader is linked to at most: an outsider learns little from a line drawn to a whole department.
MAX_TEAM_LINKS = 50


def person_node(p: PersonExtract) -> str:
    return f"person:{p.id}"


def _key(kind: str, *parts: str) -> str:
    return f"{kind}:" + "|".join(norm(x) for x in parts)


def build_graph(people: Sequence[PersonExtract]) -> nx.DiGraph:
    """The graph of what the profiles say and what titles imply (deterministic: nodes and edges in a fixed
    order, whatever order the people came in)."""
    g: nx.DiGraph = nx.DiGraph()
    ordered = sorted(people, key=lambda p: (p.id, p.canonical))
    for p in ordered:
        _add_person(g, p)
    for sub, boss, basis, post in reporting_lines(ordered):
        if boss.startswith("post:") and boss not in g:
            g.add_node(boss, kind="post", label=post, employer=boss[5:].split("|", 1)[0])
        g.add_edge(sub, boss, relation="reports_to", inferred=True, basis=basis)
    return g


def _add_person(g: nx.DiGraph, p: PersonExtract) -> None:
    me = person_node(p)
    g.add_node(
        me, kind="person", label=p.name or p.id, title=p.title, score=p.score, band=p.band, rank=p.rank, pid=p.id
    )
    employer = _key("employer", p.employer) if p.employer else ""
    if employer:
        g.add_node(employer, kind="employer", label=p.employer)
        g.add_edge(me, employer, relation="works_at", inferred=False)
    if p.team and employer:
        team = _key("team", p.employer, p.team)
        g.add_node(team, kind="team", label=f"{p.team} ({p.employer})")
        g.add_edge(team, employer, relation="part_of", inferred=False)
        g.add_edge(me, team, relation="leads" if p.rank == "leader" else "in_team", inferred=False)
    for term in p.projects:
        node = _key("project", term)
        g.add_node(node, kind="project", label=term)
        g.add_edge(me, node, relation="works_on", inferred=False)
    for level in p.clearances:
        node = f"clearance:{level}"
        g.add_node(node, kind="clearance", label=level)
        g.add_edge(me, node, relation="holds", inferred=False)
    if p.site and p.clearances:
        node = _key("site", p.site)
        g.add_node(node, kind="site", label=p.site)
        g.add_edge(me, node, relation="based_at", inferred=False)


def reporting_lines(people: Sequence[PersonExtract]) -> list[tuple[str, str, str, str]]:
    """(subordinate node, superior node, basis, the post as written) for every line titles state or imply, in a
    fixed order. A stated superior nobody on the network holds becomes a `post` node: the post exists."""
    by_employer: dict[str, list[PersonExtract]] = defaultdict(list)
    for p in people:
        if p.employer:
            by_employer[norm(p.employer)].append(p)
    lines: list[tuple[str, str, str, str]] = []
    for employer in sorted(by_employer):
        staff = by_employer[employer]
        for p in staff:
            if not p.boss:
                continue
            holder = next((q for q in staff if q is not p and holds_post(q.title, p.boss)), None)
            target = person_node(holder) if holder else f"post:{employer}|{norm(p.boss)}"
            basis = f"title: {p.title}" if p.rank == "deputy" else f"says: {p.boss}"
            lines.append((person_node(p), target, basis, p.boss))
        for lead in (q for q in staff if q.rank == "leader" and q.team):
            members = [m for m in staff if m.rank != "leader" and not m.boss and in_team(m.title, lead.team)]
            for m in members[:MAX_TEAM_LINKS]:
                lines.append((person_node(m), person_node(lead), f"same team: {lead.title} / {m.title}", lead.title))
    return lines


# --- what an outsider infers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    site: str
    employer: str
    people: tuple[str, ...]
    levels: tuple[str, ...]


def rosters(people: Iterable[PersonExtract]) -> list[tuple[str, list[PersonExtract]]]:
    """Each sensitive project and who names it, largest roster first."""
    by_term: dict[str, list[PersonExtract]] = defaultdict(list)
    for p in people:
        for t in p.projects:
            by_term[t].append(p)
    return sorted(
        ((t, sorted(ps, key=lambda p: (p.name, p.id))) for t, ps in by_term.items()),
        key=lambda kv: (-len(kv[1]), kv[0]),
    )


def clusters(people: Iterable[PersonExtract], minimum: int = 2) -> list[Cluster]:
    """Cleared people at one site of one employer (a site alone, without clearances, links no one)."""
    groups: dict[tuple[str, str], list[PersonExtract]] = defaultdict(list)
    for p in people:
        if p.site and p.clearances:
            groups[(norm(p.site), norm(p.employer))].append(p)
    out = []
    for ps in groups.values():
        if len(ps) >= minimum:
            ps.sort(key=lambda p: (p.name, p.id))
            levels = sorted({c for p in ps for c in p.clearances})
            out.append(Cluster(ps[0].site, ps[0].employer, tuple(p.name or p.id for p in ps), tuple(levels)))
    return sorted(out, key=lambda c: (-len(c.people), c.site, c.employer))


def named_lines(g: nx.DiGraph) -> list[tuple[str, str, str]]:
    """Reporting lines as (subordinate label, superior label, basis), for the report."""
    out = []
    for a, b, data in g.edges(data=True):
        if data.get("relation") == "reports_to":
            out.append((str(g.nodes[a].get("label", a)), str(g.nodes[b].get("label", b)), str(data.get("basis", ""))))
    return sorted(out)


def write_graphml(g: nx.DiGraph, path: Path) -> None:
    """GraphML for Gephi or Maltego: attributes are strings, numbers and booleans only."""
    nx.write_graphml(g, str(path), named_key_ids=True)
