"""Country boundaries for the book's maps: TopoJSON decoded here, offline, from ``data/geo``.

The boundaries are Natural Earth's (public domain), as npm's ``world-atlas`` 2 ships them
(see ``data/geo/README.md``): a TopoJSON topology per scale, ``countries-110m.json`` for a
world map and ``countries-50m.json`` for a region. A topology stores each shared border
once, as an *arc*; a country is a list of polygons whose rings are lists of arc indices
(``~i``, that is ``-i - 1``, means arc ``i`` reversed). A quantised topology stores each
arc as integer steps from the previous point (delta encoding) and a ``transform`` turns
the running sums back into longitude and latitude. :class:`Topology` decodes all that with
numpy only; because a border is one arc, simplifying the arcs (:meth:`Topology.simplified`)
keeps neighbours fitting together. Nothing here touches the network: :func:`load` reads a
file of ``data/geo`` and nothing else.

Coordinates are ``(n, 2)`` float arrays of (longitude, latitude) in degrees, or (x, y) in
the plane once projected (:func:`equal_earth`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from peaceops.data.tables import DATA_DIR

#: Where the vendored boundaries live (and the only place this module reads).
GEO_DIR = DATA_DIR / "geo"
#: The scales vendored from world-atlas, by name.
SCALES = {"110m": "countries-110m.json", "50m": "countries-50m.json"}

Ring = np.ndarray
Polygon = tuple[Ring, ...]  # exterior ring first, then its holes


class TopologyError(ValueError):
    """A TopoJSON document this decoder cannot read."""


@dataclass(frozen=True)
class Country:
    """One feature of a topology's ``countries`` object.

    ``id`` is the ISO 3166-1 numeric code as the TopoJSON gives it (``"070"``), or None
    where Natural Earth gives none (Kosovo, Somaliland, Northern Cyprus); ``name`` is
    Natural Earth's short name (``"Bosnia and Herz."``).
    """

    id: str | None
    name: str
    polygons: tuple[Polygon, ...]

    @property
    def key(self) -> str:
        """The ISO numeric code, or the name where there is none."""
        return self.id or self.name

    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of all its rings."""
        points = np.vstack([ring for polygon in self.polygons for ring in polygon])
        return (*points.min(axis=0), *points.max(axis=0))  # type: ignore[return-value]

    def largest(self) -> Polygon:
        """The polygon with the largest exterior area (the mainland)."""
        return max(self.polygons, key=lambda p: abs(ring_area(p[0])))


def decode_arcs(arcs: Sequence[Sequence[Sequence[float]]], transform: dict | None) -> list[Ring]:
    """Absolute coordinates of each arc: undo the delta encoding and the quantisation
    when the topology has a ``transform``, else take the positions as they are."""
    decoded = []
    for arc in arcs:
        points = np.asarray(arc, dtype=float).reshape(-1, 2)
        if transform is not None:
            scale = np.asarray(transform["scale"], dtype=float)
            translate = np.asarray(transform["translate"], dtype=float)
            points = np.cumsum(points, axis=0) * scale + translate
        decoded.append(points)
    return decoded


def stitch(arcs: Sequence[Ring], indices: Iterable[int]) -> Ring:
    """A ring from arc indices: each arc after the first starts where the previous one
    ended, so its first point is dropped; a negative index ``~i`` is arc ``i`` reversed."""
    parts = []
    for n, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if n == 0 else arc[1:])
    if not parts:
        raise TopologyError("a ring with no arcs")
    return np.vstack(parts)


def ring_area(ring: Ring) -> float:
    """Signed area of a ring (shoelace formula), in the square of its units."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """The points of a line that Douglas-Peucker keeps at ``tolerance`` (same units);
    both ends are always kept, so arcs simplified alone still meet."""
    if len(points) <= 2 or tolerance <= 0:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        segment = points[first + 1 : last] - start
        direction = end - start
        length = float(np.hypot(*direction))
        if length == 0:  # a closed arc: measure from its start
            distances = np.hypot(segment[:, 0], segment[:, 1])
        else:
            distances = np.abs(segment[:, 0] * direction[1] - segment[:, 1] * direction[0])
            distances = distances / length
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return points[keep]


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """A ring clipped to a rectangle (west, south, east, north), by Sutherland-Hodgman:
    exact for a convex window, and what is cut away is never drawn (or written to an
    SVG). Returns an empty array when nothing of the ring is inside."""
    west, south, east, north = box
    edges = (
        (0, west, np.greater_equal),
        (0, east, np.less_equal),
        (1, south, np.greater_equal),
        (1, north, np.less_equal),
    )
    points = ring
    for axis, limit, inside_of in edges:
        if len(points) == 0:
            break
        inside = inside_of(points[:, axis], limit)
        if inside.all():
            continue
        following = np.roll(points, -1, axis=0)
        next_inside = np.roll(inside, -1)
        out = []
        for p, q, p_in, q_in in zip(points, following, inside, next_inside, strict=True):
            if p_in:
                out.append(p)
            if p_in != q_in:
                t = (limit - p[axis]) / (q[axis] - p[axis])
                out.append(p + t * (q - p))
        points = np.asarray(out, dtype=float).reshape(-1, 2)
    return points if len(points) >= 3 else np.empty((0, 2))


def unwrap(ring: Ring) -> Ring:
    """A ring that crosses the antimeridian (a step of more than 180 degrees of longitude)
    made continuous, running past 180 (or -180) instead; a ring round a pole, which then
    does not close, is closed along that pole."""
    steps = np.diff(ring[:, 0])
    if len(steps) == 0 or np.abs(steps).max() <= 180:
        return ring
    shift = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(steps / 360.0))])
    out = ring + np.column_stack([shift, np.zeros(len(ring))])
    if abs(out[-1, 0] - out[0, 0]) > 180:  # round a pole
        pole = -90.0 if out[:, 1].mean() < 0 else 90.0
        out = np.vstack([out, [[out[-1, 0], pole], [out[0, 0], pole], out[:1][0]]])
    return out


def in_box(polygon: Polygon, box: tuple[float, float, float, float]) -> list[Polygon]:
    """The parts of a polygon inside a (west, south, east, north) box of degrees, its
    rings made continuous across the antimeridian and clipped to the box (a polygon that
    crosses the antimeridian gives a part on each side)."""
    rings = [unwrap(ring) for ring in polygon]
    shifts = [0.0]
    west, east = float(rings[0][:, 0].min()), float(rings[0][:, 0].max())
    if east > 180:
        shifts.append(-360.0)
    if west < -180:
        shifts.append(360.0)
    parts = []
    for shift in shifts:
        moved = [ring + np.array([shift, 0.0]) for ring in rings]
        exterior = clip_ring(moved[0], box)
        if len(exterior) == 0:
            continue
        holes = [h for h in (clip_ring(r, box) for r in moved[1:]) if len(h)]
        parts.append((exterior, *holes))
    return parts


def equal_earth(points: Ring) -> Ring:
    """The Equal Earth projection (Šavrič, Patterson and Jenny 2018) of (lon, lat) degrees,
    an equal-area projection for world maps: every country keeps its true relative size."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = np.sqrt(3) / 2
    lam = np.radians(points[:, 0])
    theta = np.arcsin(m * np.sin(np.radians(points[:, 1])))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * np.sqrt(3)
        * lam
        * np.cos(theta)
        / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return np.column_stack([x, y])


def _reaches(points: Ring, box: tuple[float, float, float, float]) -> bool:
    """Whether the bounding box of some points meets a (west, south, east, north) box."""
    west, south, east, north = box
    low, high = points.min(axis=0), points.max(axis=0)
    return bool(low[0] <= east and high[0] >= west and low[1] <= north and high[1] >= south)


class Topology:
    """A TopoJSON topology with its arcs decoded to longitude and latitude."""

    def __init__(self, document: dict) -> None:
        if document.get("type") != "Topology":
            raise TopologyError(f"not a TopoJSON topology: type {document.get('type')!r}")
        self.document = document
        self.arcs = decode_arcs(document.get("arcs", []), document.get("transform"))

    @classmethod
    def read(cls, path: Path) -> Topology:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def simplified(self, tolerance: float,
                   box: tuple[float, float, float, float] | None = None) -> Topology:  # fmt: skip
        """The same topology with its arcs simplified at ``tolerance`` degrees (only those
        that reach into ``box``, if given: the others are clipped away when drawn, so
        they are kept as they are); shared borders stay shared, so neighbours still meet
        without gaps or overlaps."""
        copy = object.__new__(Topology)
        copy.document = self.document
        copy.arcs = [
            douglas_peucker(arc, tolerance) if box is None or _reaches(arc, box) else arc
            for arc in self.arcs
        ]
        return copy

    def countries(self, name: str = "countries") -> list[Country]:
        """Every feature of the object ``name``, its rings stitched from the arcs."""
        try:
            collection = self.document["objects"][name]
        except KeyError as missing:
            raise TopologyError(f"the topology has no object {name!r}") from missing
        geometries = collection.get("geometries", [collection])
        return [self._country(geometry) for geometry in geometries]

    def _country(self, geometry: dict) -> Country:
        kind = geometry.get("type")
        if kind == "Polygon":
            shapes = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            shapes = geometry["arcs"]
        elif kind is None:
            shapes = []
        else:
            raise TopologyError(f"unsupported geometry type {kind!r}")
        polygons = []
        for shape in shapes:
            rings = [stitch(self.arcs, ring) for ring in shape]
            rings = [r for r in rings if len(r) >= 4 and ring_area(r) != 0]
            if rings:
                polygons.append(tuple(rings))
        identifier = geometry.get("id")
        name = (geometry.get("properties") or {}).get("name", "")
        return Country(None if identifier is None else str(identifier), name, tuple(polygons))


@lru_cache(maxsize=4)
def load(scale: str = "110m") -> Topology:
    """The vendored topology at a scale of :data:`SCALES`, read from ``data/geo``."""
    if scale not in SCALES:
        raise TopologyError(f"no vendored scale {scale!r}; one of {sorted(SCALES)}")
    return Topology.read(GEO_DIR / SCALES[scale])
