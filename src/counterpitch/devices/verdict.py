"""The clues of one device weighed into a Verdict (decision 0061).

Clues are grouped by the maker they point to (a sub-brand's or subsidiary's clues count for the parent; an OEM
brand stays itself). Within a group each kind of clue counts once, at its strongest, and independent kinds
combine as 1 - prod(1 - w): an OUI (0.9) and a Hikvision RTSP realm (0.8) make 0.98. The group with the
highest score is the maker; on a tie, the one with a clue from the device itself (not a register's claim).

An OEM brand wins on names alone, and then says "judge per model"; when the device's own clues (ports,
banners, model number) show the brand's parent, the parent is the maker and the brand is shown beside it.
A device is `covered` when its maker is on a list and the score reaches THRESHOLD; below it the verdict names
the maker and asks for confirmation instead of flagging, and `check` marks it for a person (as it does a device
whose losing clues name a listed maker, and an OEM brand of a listed maker named alone). Clues pointing
elsewhere (the register says Axis, the OUI says Hikvision) are a `conflict`: named in the verdict, never
silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from counterpitch.devices.clues import all_clues
from counterpitch.devices.model import Clue, Observation, Verdict
from counterpitch.devices.oui import MacError, group_address, locally_administered, parse_mac
from counterpitch.devices.tables import Tables

#: The score a covered maker's clues must reach for the device to be flagged (one strong clue does: an OUI, a
#: banner, a model number in the maker's grammar, a register naming the maker; one weak one does not).
THRESHOLD = 0.6

Extract = Callable[[Observation, Tables], Iterator[Clue]]


def _scores(clues: Iterable[Clue], t: Tables) -> dict[str, float]:
    strongest: dict[str, dict[str, float]] = {}
    for c in clues:
        if c.weight > 0:
            kinds = strongest.setdefault(t.group(c.entity), {})
            kinds[c.kind] = max(kinds.get(c.kind, 0.0), c.weight)
    scores = {}
    for group, kinds in strongest.items():
        left = 1.0
        for w in kinds.values():
            left *= 1.0 - w
        scores[group] = 1.0 - left
    return scores


def _related(entity: str, winner: str, t: Tables) -> bool:
    """Whether a clue naming `entity` agrees with `winner` as the maker (itself, its brand, its OEM's maker)."""
    group = t.group(entity)
    return group == winner or t.parent(entity) == winner or t.parent(winner) == group


def _kinds(clues: Iterable[Clue]) -> str:
    return ", ".join(dict.fromkeys(("register " if c.claim else "") + c.kind for c in clues))


def _describe(clues: Sequence[Clue]) -> str:
    """`Axis Communications (register name)`: who the clues name, and which kinds of clue."""
    return f"{' / '.join(dict.fromkeys(c.label for c in clues))} ({_kinds(clues)})"


def judge(observations: Sequence[Observation], t: Tables, extract: Extract = all_clues) -> Verdict:
    """The verdict on one device from every observation of it (register rows and scanned hosts)."""
    clues = tuple(c for obs in observations for c in extract(obs, t))
    first = _identity(observations)
    scores = _scores(clues, t)
    if not scores:
        return Verdict(
            *first,
            vendor="",
            brand="",
            covered=False,
            basis=(),
            confidence=0.0,
            evidence=clues,
            sources=_sources(observations),
        )
    technical = {t.group(c.entity) for c in clues if c.weight > 0 and not c.claim}
    winner = max(scores, key=lambda g: (round(scores[g], 6), g in technical, g))
    oem = t.brands.get(winner)
    if oem is not None and oem.relation == "oem" and oem.maker in technical:
        winner = oem.maker
    confidence = round(scores[winner], 3)
    bases = t.bases_of(winner)
    covered = bool(bases) and confidence >= THRESHOLD
    agreeing = [c for c in clues if c.weight > 0 and _related(c.entity, winner, t)]
    against: dict[str, list[Clue]] = {}
    for c in clues:
        if c.weight > 0 and not _related(c.entity, winner, t):
            against.setdefault(t.group(c.entity), []).append(c)
    conflict = ""
    if against:
        others = "; ".join(_describe(cs) for cs in against.values())
        conflict = f"{t.label(winner)} ({_kinds(agreeing)}); but {others}"
    brand = _brand(clues, winner, t)
    notes = [t.note_of(winner)]
    notes += [t.note_of(c.entity) for c in clues if c.weight > 0 and c.entity != winner]
    if bases and not covered:
        notes.append(f"weak evidence for {t.label(winner)} ({confidence:.2f} < {THRESHOLD}): confirm before acting")
    listed_against = [t.label(g) for g in against if t.bases_of(g)]
    if listed_against and not covered:
        notes.append(f"clues also point to {', '.join(listed_against)} (listed): check the device")
    check = not covered and bool(bases or listed_against or t.bases_of(t.parent(winner)))
    return Verdict(
        *first,
        vendor=t.label(winner),
        brand=brand,
        covered=covered,
        basis=bases if covered else (),
        confidence=confidence,
        evidence=clues,
        conflict=conflict,
        note=" ".join(dict.fromkeys(n for n in notes if n)),
        sources=_sources(observations),
        check=check,
    )


def _brand(clues: Sequence[Clue], winner: str, t: Tables) -> str:
    """The name on the box when it is not the maker's: a register's manufacturer or brand column naming the
    maker's sub-brand, subsidiary or OEM first, then one the device's own clues name (an EZVIZ MAC block). A
    register naming an unrelated maker is not a brand but a conflict (shown there)."""
    vendor = t.label(winner)
    for c in clues:
        if c.claim and c.kind == "name" and c.entity != winner and c.label != vendor and _related(c.entity, winner, t):
            return c.label
    for c in clues:
        if c.weight > 0 and c.entity != winner and t.group(c.entity) == winner and c.entity in t.brands:
            return c.label
    return ""


def _identity(observations: Sequence[Observation]) -> tuple[str, str, str, str]:
    """asset, site, ip, mac: a register's first, then a scan's."""
    ordered = sorted(observations, key=lambda o: o.kind != "register")

    def first(attr: str) -> str:
        return next((v for o in ordered if (v := getattr(o, attr))), "")

    return first("asset"), first("site"), first("ip"), first("mac")


def _sources(observations: Sequence[Observation]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{o.source} {o.where}" for o in observations))


class RowJudge:
    """`judge` for register rows, remembering what it decided for rows that say the same thing.

    A verdict is a pure function of what a row says (its text columns and its MAC's registry block), and a large
    register repeats itself: thousands of rows read "Axis, P3245-LVE, 00:40:8C:...". The first such row is
    judged; the others reuse its decision with their own identity and their own line in every clue's source.
    At most `limit` distinct rows are remembered (then rows are judged afresh), so memory stays bounded.
    """

    _SOURCE = "\x00row"

    def __init__(self, t: Tables, limit: int = 20_000) -> None:
        self.t, self.limit = t, limit
        self._memo: dict[tuple[object, ...], Verdict] = {}

    def _block(self, mac: str) -> str:
        if not mac:
            return ""
        try:
            value = parse_mac(mac)
        except MacError:
            return "?"
        if value == 0 or locally_administered(value) or group_address(value):
            return "local"
        found = self.t.registry.lookup(value)
        return found.block if found is not None else "?"

    def __call__(self, row: Observation) -> Verdict:
        key = (row.fields, self._block(row.mac))
        decided = self._memo.get(key)
        if decided is None:
            decided = judge([Observation(self._SOURCE, "", mac=row.mac, fields=row.fields)], self.t)
            if len(self._memo) < self.limit:
                self._memo[key] = decided
        here = f"{row.source} {row.where}"
        cut = len(self._SOURCE) + 1
        return Verdict(
            row.asset,
            row.site,
            row.ip,
            row.mac,
            decided.vendor,
            decided.brand,
            decided.covered,
            decided.basis,
            decided.confidence,
            tuple(
                Clue(c.kind, c.value, c.entity, c.label, c.weight, here + c.source[cut:], c.claim)
                for c in decided.evidence
            ),
            decided.conflict,
            decided.note,
            (here,),
            decided.check,
        )
