"""The course's fictional mission area, Arvania: loaded from ``data/scenario/`` and validated.

The scenario exercises of the book (``book/scenario/``) all happen in one invented mission
area, described once as data:

- ``area.geojson``: the map, a GeoJSON FeatureCollection in an invented plane frame
  (kilometres east and north of the map's south-west corner, not longitude and latitude):
  countries, provinces, the mission's sectors, the capital, towns, a camp, rivers, roads;
- ``actors.yml``: the countries, the parties to the conflict, the organisations;
- ``mandate.yml``: the (fictional) Security Council resolution that mandates the mission;
- ``structure.yml``: the mission and force structure, each unit with the unit it answers
  to and how;
- ``timeline.yml``: the events, in days from D (the resolution's adoption).

:func:`load_scenario` checks every file against its schema and the files against each
other (a province names a country of the map, a unit's parent exists, the host's capital
is on the map, ...) and raises :class:`ScenarioError` with every problem at once, each
naming its file and field. :func:`mandate_extract` gives the resolution as Markdown for a
page. Imports nothing of peaceops above ``peaceops.data``; the drawings are in
``peaceops.data.scenario_figures``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from peaceops.data.tables import DATA_DIR

SCENARIO_DIR = DATA_DIR / "scenario"
FILES = ("area.geojson", "actors.yml", "mandate.yml", "structure.yml", "timeline.yml")

#: The kinds of map feature, with the geometry each must have.
FEATURE_KINDS = {
    "country": "Polygon",
    "province": "Polygon",
    "sector": "Polygon",
    "capital": "Point",
    "town": "Point",
    "camp": "Point",
    "river": "LineString",
    "road": "LineString",
}
COUNTRY_ROLES = ("host", "neighbour")
PARTY_KINDS = ("host government", "host security force", "armed group")
ORGANISATION_KINDS = (
    "universal organisation",
    "continental organisation",
    "regional economic community",
    "collective-defence alliance",
)
RELATIONS = ("direction", "command", "opcon", "coordination", "support")
CHAPTERS = ("VI", "VII")


@dataclass(frozen=True)
class Feature:
    """One feature of the map: its kind, name, geometry and other properties."""

    kind: str
    name: str
    geometry: str  # Polygon | Point | LineString
    coordinates: Any
    properties: dict[str, Any]

    @property
    def points(self) -> list[tuple[float, float]]:
        """The feature's vertices as (x, y) pairs (a polygon's outer ring, closed)."""
        if self.geometry == "Point":
            return [tuple(self.coordinates)]
        ring = self.coordinates[0] if self.geometry == "Polygon" else self.coordinates
        return [tuple(p) for p in ring]


@dataclass(frozen=True)
class Unit:
    """One box of the mission and force structure."""

    id: str
    label: str
    organisation: str
    parent: str | None
    relation: str | None


@dataclass(frozen=True)
class Event:
    """One event of the timeline, ``day`` days from D (negative: before the resolution)."""

    day: int
    event: str

    @property
    def when(self) -> str:
        """'D', 'D-120' or 'D+30'."""
        return "D" if self.day == 0 else f"D{self.day:+d}"


@dataclass(frozen=True)
class Scenario:
    """The whole fictional mission area, as the files describe it."""

    name: str
    frame: dict[str, Any]
    features: tuple[Feature, ...]
    countries: tuple[dict[str, Any], ...]
    parties: tuple[dict[str, Any], ...]
    organisations: tuple[dict[str, Any], ...]
    mandate: dict[str, Any]
    units: tuple[Unit, ...]
    events: tuple[Event, ...]

    def features_of(self, kind: str) -> list[Feature]:
        """The map's features of one kind, in file order."""
        return [f for f in self.features if f.kind == kind]

    def feature(self, name: str) -> Feature:
        """The map feature of that name (KeyError if there is none)."""
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def host(self) -> dict[str, Any]:
        """The host country's entry of actors.yml."""
        return next(c for c in self.countries if c["role"] == "host")

    def unit(self, unit_id: str) -> Unit:
        """The unit of the structure with that id (KeyError if there is none)."""
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def children(self, unit_id: str | None) -> list[Unit]:
        """The units that answer to ``unit_id`` (None: the top units), in file order."""
        return [u for u in self.units if u.parent == unit_id]

    def event_on(self, day: int) -> Event:
        """The event of that day (KeyError if there is none)."""
        for e in self.events:
            if e.day == day:
                return e
        raise KeyError(day)


class ScenarioError(Exception):
    """The scenario's files are broken; ``problems`` lists every problem, file and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the fictional mission area has {len(problems)} problem(s):\n{lines}")


# -- reading -----------------------------------------------------------------------------


def _shown(path: Path) -> str:
    """A file's path as a learner's checkout shows it (data/scenario/actors.yml)."""
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{shown}: the file is missing")
        return {}
    try:
        doc = json.loads(text) if path.suffix == ".geojson" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        problems.append(f"{shown}: not valid {'JSON' if path.suffix == '.geojson' else 'YAML'}: "
                        f"{' '.join(str(err).split())}")  # fmt: skip
        return {}
    if not isinstance(doc, dict):
        problems.append(f"{shown}: must hold a mapping of fields, not {type(doc).__name__}")
        return {}
    if doc.get("fictional") is not True:
        problems.append(f"{shown}: field 'fictional' must be true (everything here is invented)")
    return doc


class _Checker:
    """Collects problems for one file, each with the field it concerns."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.file = _shown(path)
        self.problems = problems

    def add(self, field: str, message: str) -> None:
        self.problems.append(f"{self.file}, field '{field}': {message}")

    def text(self, doc: Any, field: str, where: str, required: bool = True) -> str:
        value = doc.get(field) if isinstance(doc, dict) else None
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(f"{where}{field}", "needs a non-empty text")
            return ""
        return value.strip()

    def one_of(self, doc: Any, field: str, where: str, allowed: tuple[str, ...]) -> str:
        value = self.text(doc, field, where)
        if value and value not in allowed:
            self.add(f"{where}{field}", f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    def items(self, doc: dict[str, Any], field: str) -> list[Any]:
        value = doc.get(field)
        if not isinstance(value, list) or not value:
            self.add(field, "needs a non-empty list")
            return []
        return value

    def unique(self, values: list[str], field: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value and value in seen:
                self.add(field, f"'{value}' is used twice")
            seen.add(value)


def _number_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def _area(path: Path, problems: list[str]) -> tuple[str, dict[str, Any], list[Feature]]:
    doc = _read(path, problems)
    if not doc:
        return "", {}, []
    check = _Checker(path, problems)
    if doc.get("type") != "FeatureCollection":
        check.add("type", "must be 'FeatureCollection'")
    name = check.text(doc, "name", "")
    frame = doc.get("frame")
    if not isinstance(frame, dict) or not all(_number_pair(frame.get(a)) for a in ("x", "y")):
        check.add("frame", "needs 'x' and 'y', each [least, greatest] in the invented frame")
        frame = {"x": [float("-inf"), float("inf")], "y": [float("-inf"), float("inf")]}
    features: list[Feature] = []
    for n, raw in enumerate(check.items(doc, "features")):
        where = f"features[{n}]."
        props = raw.get("properties") if isinstance(raw, dict) else None
        geometry = raw.get("geometry") if isinstance(raw, dict) else None
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            check.add(f"features[{n}]", "needs 'properties' and 'geometry'")
            continue
        kind = check.one_of(props, "kind", f"{where}properties.", tuple(FEATURE_KINDS))
        label = check.text(props, "name", f"{where}properties.")
        gtype = geometry.get("type")
        if kind not in FEATURE_KINDS:
            continue
        if gtype != FEATURE_KINDS[kind]:
            check.add(f"{where}geometry.type", f"a {kind} is a {FEATURE_KINDS[kind]}, not {gtype}")
            continue
        coords = geometry.get("coordinates")
        points = _geometry_points(gtype, coords)
        if points is None:
            check.add(f"{where}geometry.coordinates", f"not a valid {gtype}")
            continue
        (x0, x1), (y0, y1) = frame["x"], frame["y"]
        outside = [p for p in points if not (x0 <= p[0] <= x1 and y0 <= p[1] <= y1)]
        if outside:
            check.add(f"{where}geometry.coordinates", f"{outside[0]} lies outside the frame")
        if kind and label:
            features.append(Feature(kind, label, gtype, coords, dict(props)))
    check.unique([f.name for f in features], "features[].properties.name")
    countries = {f.name for f in features if f.kind == "country"}
    provinces = {f.name for f in features if f.kind == "province"}
    for f in features:
        if f.kind in ("province", "capital") and f.properties.get("country") not in countries:
            check.add(f"{f.name}.country", f"'{f.properties.get('country')}' is no country of "
                      "the map")  # fmt: skip
        if f.kind == "sector":
            named = f.properties.get("provinces")
            if not isinstance(named, list) or not named or set(named) - provinces:
                check.add(f"{f.name}.provinces", "must list provinces of the map")
    if [f.properties.get("role") for f in features if f.kind == "country"].count("host") != 1:
        check.add("features[].properties.role", "exactly one country is the 'host'")
    return name, dict(frame), features


def _geometry_points(gtype: Any, coords: Any) -> list[tuple[float, float]] | None:
    """The vertices of a geometry, or None when its coordinates do not fit its type."""
    if gtype == "Point":
        return [tuple(coords)] if _number_pair(coords) else None
    if gtype == "LineString":
        ok = isinstance(coords, list) and len(coords) >= 2 and all(map(_number_pair, coords))
        return [tuple(p) for p in coords] if ok else None
    if gtype == "Polygon":
        ring = coords[0] if isinstance(coords, list) and coords else None
        ok = (isinstance(ring, list) and len(ring) >= 4 and all(map(_number_pair, ring))
              and ring[0] == ring[-1])  # fmt: skip
        return [tuple(p) for p in ring] if ok else None
    return None


def _actors(path: Path, problems: list[str], features: list[Feature]) -> tuple[list, list, list]:
    doc = _read(path, problems)
    if not doc:
        return [], [], []
    check = _Checker(path, problems)
    countries = check.items(doc, "countries")
    for n, c in enumerate(countries):
        check.text(c, "name", f"countries[{n}].")
        check.text(c, "long_name", f"countries[{n}].")
        check.one_of(c, "role", f"countries[{n}].", COUNTRY_ROLES)
        check.text(c, "summary", f"countries[{n}].")
    hosts = [c for c in countries if isinstance(c, dict) and c.get("role") == "host"]
    if len(hosts) != 1:
        check.add("countries[].role", "exactly one country is the 'host'")
    mapped = {f.name for f in features if f.kind == "country"}
    named = {c.get("name") for c in countries if isinstance(c, dict)}
    if features and named != mapped:
        check.add(
            "countries[].name", f"must be the countries of the map: {', '.join(sorted(mapped))}"
        )
    capitals = {f.name for f in features if f.kind == "capital"}
    for host in hosts:
        if features and host.get("capital") not in capitals:
            check.add("countries[].capital", f"'{host.get('capital')}' is no capital on the map")
    parties = check.items(doc, "parties")
    for n, p in enumerate(parties):
        check.text(p, "id", f"parties[{n}].")
        check.text(p, "name", f"parties[{n}].")
        check.one_of(p, "kind", f"parties[{n}].", PARTY_KINDS)
        check.text(p, "summary", f"parties[{n}].")
    organisations = check.items(doc, "organisations")
    for n, o in enumerate(organisations):
        for field in ("id", "name", "modelled_on", "summary"):
            check.text(o, field, f"organisations[{n}].")
        check.one_of(o, "kind", f"organisations[{n}].", ORGANISATION_KINDS)
    ids = [str(x.get("id")) for x in [*parties, *organisations] if isinstance(x, dict)]
    check.unique(ids, "parties[].id / organisations[].id")
    countries, parties, organisations = (
        [d for d in group if isinstance(d, dict)] for group in (countries, parties, organisations)
    )
    return countries, parties, organisations


def _mandate(path: Path, problems: list[str]) -> dict[str, Any]:
    doc = _read(path, problems)
    if not doc:
        return {}
    check = _Checker(path, problems)
    symbol = check.text(doc, "symbol", "")
    if symbol and "(fictional)" not in symbol:
        check.add("symbol", f"'{symbol}' must say '(fictional)': no real resolution is meant")
    check.text(doc, "adopted", "")
    check.one_of({"chapter": str(doc.get("chapter", ""))}, "chapter", "", CHAPTERS)
    for n, line in enumerate(check.items(doc, "preamble")):
        if not isinstance(line, str) or not line.strip():
            check.add(f"preamble[{n}]", "needs a non-empty text")
    operative = check.items(doc, "operative")
    for n, para in enumerate(operative):
        if not isinstance(para, dict) or para.get("number") != n + 1:
            check.add(
                f"operative[{n}].number", f"must be {n + 1} (paragraphs are numbered in order)"
            )
        check.text(para, "text", f"operative[{n}].")
        tasks = para.get("tasks", []) if isinstance(para, dict) else []
        if not isinstance(tasks, list) or not all(isinstance(t, str) and t for t in tasks):
            check.add(f"operative[{n}].tasks", "must be a list of texts")
    return doc


def _structure(path: Path, problems: list[str]) -> list[Unit]:
    doc = _read(path, problems)
    if not doc:
        return []
    check = _Checker(path, problems)
    units: list[Unit] = []
    for n, raw in enumerate(check.items(doc, "units")):
        where = f"units[{n}]."
        uid = check.text(raw, "id", where)
        label = check.text(raw, "label", where)
        organisation = check.text(raw, "organisation", where)
        parent = raw.get("parent") if isinstance(raw, dict) else None
        relation = raw.get("relation") if isinstance(raw, dict) else None
        if (parent is None) != (relation is None):
            check.add(f"{where}relation", "a unit with a parent needs a relation, and only it")
        elif relation is not None and relation not in RELATIONS:
            check.add(f"{where}relation", f"'{relation}' is not one of: {', '.join(RELATIONS)}")
        if uid and label and organisation:
            units.append(Unit(uid, label, organisation, parent, relation))
    ids = [u.id for u in units]
    check.unique(ids, "units[].id")
    for u in units:
        if u.parent is not None and u.parent not in ids:
            check.add(f"{u.id}.parent", f"'{u.parent}' is no unit of the structure")
    by_id = {u.id: u for u in units}
    for u in units:
        seen, node = {u.id}, u
        while node.parent in by_id:
            node = by_id[node.parent]
            if node.id in seen:
                check.add(f"{u.id}.parent", "the chain of parents goes round in a circle")
                break
            seen.add(node.id)
    return units


def _timeline(path: Path, problems: list[str]) -> list[Event]:
    doc = _read(path, problems)
    if not doc:
        return []
    check = _Checker(path, problems)
    events: list[Event] = []
    for n, raw in enumerate(check.items(doc, "events")):
        day = raw.get("day") if isinstance(raw, dict) else None
        text = check.text(raw, "event", f"events[{n}].")
        if not isinstance(day, int) or isinstance(day, bool):
            check.add(f"events[{n}].day", "needs a whole number of days from D")
        elif events and day <= events[-1].day:
            check.add(f"events[{n}].day", f"{day} is not after the event before it (day "
                      f"{events[-1].day}): list events in order")  # fmt: skip
        elif text:
            events.append(Event(day, text))
    if events and 0 not in {e.day for e in events}:
        check.add("events[].day", "no event on day 0, the adoption of the resolution")
    return events


def load_scenario(folder: Path | None = None) -> Scenario:
    """Read and check the five files of the mission area; raise ScenarioError with every
    problem (file and field) when any is broken."""
    folder = folder or SCENARIO_DIR
    problems: list[str] = []
    name, frame, features = _area(folder / "area.geojson", problems)
    countries, parties, organisations = _actors(folder / "actors.yml", problems, features)
    mandate = _mandate(folder / "mandate.yml", problems)
    units = _structure(folder / "structure.yml", problems)
    events = _timeline(folder / "timeline.yml", problems)
    if problems:
        raise ScenarioError(problems)
    return Scenario(name, frame, tuple(features), tuple(countries), tuple(parties),
                    tuple(organisations), mandate, tuple(units), tuple(events))  # fmt: skip


_CACHE: dict[tuple, Scenario] = {}


def scenario(folder: Path | None = None) -> Scenario:
    """The mission area, loaded once per state of its files (pages and figures ask for it
    often; an edited file is read again)."""
    folder = folder or SCENARIO_DIR
    key = (folder, *((folder / f).stat().st_mtime_ns if (folder / f).exists() else 0
                     for f in FILES))  # fmt: skip
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load_scenario(folder)
    return _CACHE[key]


# -- what a page shows -------------------------------------------------------------------


def mandate_extract(source: Scenario | None = None, paragraphs: list[int] | None = None) -> str:
    """The resolution (or the operative ``paragraphs`` named) as Markdown, in the Council's
    layout: symbol, the preamble, the Chapter VII line, then the numbered paragraphs."""
    mandate = (source or scenario()).mandate
    chosen = [p for p in mandate["operative"] if paragraphs is None or p["number"] in paragraphs]
    lines = [
        f"**{mandate['symbol']}**, adopted on {mandate['adopted']}; vote: {mandate['vote']}.",
        "",
        "*The Security Council,*",
        "",
    ]
    if paragraphs is None:
        for line in mandate["preamble"]:
            lines += [f"*{_first_word(line)}*{_rest(line)}", ""]
    lines += [f"*Acting under Chapter {mandate['chapter']} of the Charter of the United Nations,*",
              ""]  # fmt: skip
    for para in chosen:
        text = " ".join(para["text"].split())
        lines.append(f"{para['number']}. *{_first_word(text)}*{_rest(text)}")
        lines += [f"    - {' '.join(t.split())}" for t in para.get("tasks", [])]
    if paragraphs is not None:
        lines += ["", "(Extract: the other paragraphs are left out. This resolution is fictional.)"]
    else:
        lines += ["", "(This resolution is fictional: there is no S/RES/9104.)"]
    return "\n".join(lines)


#: Openings the Council italicises as a whole ("*Taking note* of ...").
_OPENERS = ("Taking note", "Bearing in mind", "Calls upon", "Calls on")


def _split_opening(text: str) -> tuple[str, str]:
    text = " ".join(text.split())
    for opener in _OPENERS:
        if text.startswith(opener + " "):
            return opener, text[len(opener) :]
    first, _, rest = text.partition(" ")
    return first, f" {rest}" if rest else ""


def _first_word(text: str) -> str:
    return _split_opening(text)[0]


def _rest(text: str) -> str:
    return _split_opening(text)[1]


def timeline_markdown(source: Scenario | None = None, first: int | None = None,
                      last: int | None = None) -> str:  # fmt: skip
    """The timeline (or the days from ``first`` to ``last``) as a Markdown table."""
    events = [e for e in (source or scenario()).events
              if (first is None or e.day >= first) and (last is None or e.day <= last)]  # fmt: skip
    rows = ["| Day | Event (fictional) |", "|---|---|"]
    rows += [f"| {e.when} | {e.event} |" for e in events]
    return "\n".join(rows)


def actors_markdown(source: Scenario | None = None) -> str:
    """The parties and the organisations as two Markdown tables."""
    area = source or scenario()
    rows = ["| Party (fictional) | Kind | In brief |", "|---|---|---|"]
    rows += [f"| {p['name']} ({p['id']}) | {p['kind']} | {' '.join(p['summary'].split())} |"
             for p in area.parties]  # fmt: skip
    rows += ["", "| Organisation | Kind | Modelled on |", "|---|---|---|"]
    rows += [f"| {o['name']} ({o['id']}) | {o['kind']} | {o['modelled_on']} |"
             for o in area.organisations]  # fmt: skip
    return "\n".join(rows)


class Markdown:
    """Text a notebook cell shows as Markdown (what ``IPython.display.Markdown`` does, with
    no IPython needed)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def show(make: Callable[..., str], *args: Any, **kwargs: Any) -> Markdown:
    """``show(mandate_extract, paragraphs=[2, 3])``: a page's code cell displays it."""
    return Markdown(make(*args, **kwargs))


def main() -> int:
    """``python -m peaceops.data.scenario``: check the mission area and print a summary."""
    try:
        area = load_scenario()
    except ScenarioError as err:
        print(err)
        return 1
    print(f"{area.name}: {len(area.features)} map features, {len(area.parties)} parties, "
          f"{len(area.organisations)} organisations, {len(area.units)} units, "
          f"{len(area.events)} events; mandate {area.mandate['symbol']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
