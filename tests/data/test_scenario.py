"""The fictional mission area: its files load, a broken file is named with its field, the
map and the structure chart draw legibly, and the mandate extract names the resolution."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from peaceops.data import lanes
from peaceops.data import scenario as sc
from peaceops.data import scenario_figures as figures

AREA = sc.load_scenario()


def broken_copy(tmp_path: Path) -> Path:
    """A copy of data/scenario/ to break."""
    folder = tmp_path / "scenario"
    shutil.copytree(sc.SCENARIO_DIR, folder)
    return folder


def edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(sc.ScenarioError) as caught:
        sc.load_scenario(folder)
    return caught.value.problems


def test_the_mission_area_loads_and_is_fictional() -> None:
    assert AREA.host["name"] == "Arvania"
    assert {c["name"] for c in AREA.countries} == {"Arvania", "Belmora", "Soravel"}
    assert [s.name for s in AREA.features_of("sector")] == [
        "Sector West",
        "Sector North",
        "Sector East",
    ]
    assert AREA.feature("Vesmar").kind == "capital"
    assert len(AREA.features_of("river")) >= 1 and len(AREA.features_of("road")) >= 1
    kinds = {p["kind"] for p in AREA.parties}
    assert {"host government", "armed group"} <= kinds
    assert "collective-defence alliance" in {o["kind"] for o in AREA.organisations}
    assert AREA.event_on(0).when == "D" and AREA.events[0].day < 0
    assert AREA.mandate["symbol"].endswith("(fictional)")
    for name in sc.FILES:
        text = (sc.SCENARIO_DIR / name).read_text(encoding="utf-8")
        assert "fictional" in text, f"{name} does not say it is fictional"


def test_every_unit_answers_to_a_unit_of_the_structure() -> None:
    ids = {u.id for u in AREA.units}
    for unit in AREA.units:
        assert unit.parent is None or unit.parent in ids
    assert AREA.unit("fc").parent == "hom" and AREA.unit("hom").relation == "direction"


def test_a_broken_yaml_field_is_named_with_its_file(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    edit_yaml(folder / "actors.yml", lambda d: d["parties"][2].update(kind="rebels"))
    edit_yaml(folder / "structure.yml", lambda d: d["units"][4].update(parent="nobody"))
    found = problems_of(folder)
    assert any(
        "actors.yml, field 'parties[2].kind'" in p and "'rebels' is not one of" in p for p in found
    ), found
    assert any("structure.yml, field 'police.parent'" in p for p in found), found


def test_a_broken_map_is_named_with_its_feature(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    path = folder / "area.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"]["type"] = "Point"
    doc["features"][1]["properties"]["kind"] = "continent"
    path.write_text(json.dumps(doc), encoding="utf-8")
    found = problems_of(folder)
    assert any("area.geojson, field 'features[0].geometry.type'" in p for p in found), found
    assert any("features[1].properties.kind" in p and "continent" in p for p in found), found


def test_the_real_data_folder_is_named_in_errors() -> None:
    """Errors name the file as a checkout shows it (data/scenario/...)."""
    problem = sc._Checker(sc.SCENARIO_DIR / "mandate.yml", [])
    problem.add("symbol", "x")
    assert problem.problems == ["data/scenario/mandate.yml, field 'symbol': x"]


def test_a_real_looking_resolution_and_bad_yaml_are_refused(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    edit_yaml(folder / "mandate.yml", lambda d: d.update(symbol="S/RES/9104 (2031)"))
    (folder / "timeline.yml").write_text("events: [day: 1\n", encoding="utf-8")
    found = problems_of(folder)
    assert any("mandate.yml, field 'symbol'" in p and "(fictional)" in p for p in found)
    assert any("timeline.yml: not valid YAML" in p for p in found)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    (folder / "structure.yml").unlink()
    assert any("structure.yml: the file is missing" in p for p in problems_of(folder))


def test_the_mandate_extract_names_the_fictional_resolution() -> None:
    whole = sc.mandate_extract()
    assert "S/RES/9104 (fictional)" in whole and "Chapter VII" in whole
    assert "Article 54" in whole and "status-of-forces agreement" in whole
    part = sc.mandate_extract(paragraphs=[2, 3])
    assert part.count("\n2. ") == 1 and "\n3. " in part and "\n4. " not in part
    assert "fictional" in part.splitlines()[-1]
    assert sc.show(sc.mandate_extract)._repr_markdown_() == whole
    table = sc.timeline_markdown(first=0, last=30)
    assert table.count("\n| D") == 2


@pytest.mark.parametrize(
    "draw",
    [
        figures.area_map,
        lambda: figures.area_map(highlight="Sector East", marks={"Drevna": "inject 2"}),
        figures.structure_chart,
    ],
    ids=["map", "map-highlight", "structure"],
)
def test_the_drawings_are_legible_and_render_as_svg(draw) -> None:
    fig = draw()
    texts = lanes.drawn_texts(fig)
    assert texts and min(size for _, _, size in texts) >= lanes.MIN_FONT_PT
    assert lanes.overlaps(fig) == []
    assert fig.get_figwidth() == pytest.approx(lanes.WIDTH_IN)
    drawn = figures.render(fig)
    assert drawn.svg.startswith("<?xml") and "<text" not in drawn.svg
    assert drawn.png[:4] == b"\x89PNG"


def test_the_map_draws_every_place_and_the_chart_every_unit() -> None:
    shown = {t for t, _, _ in lanes.drawn_texts(figures.area_map())}
    for kind in ("capital", "town", "camp", "province"):
        for feature in AREA.features_of(kind):
            assert feature.name in shown, feature.name
    chart = {t for t, _, _ in lanes.drawn_texts(figures.structure_chart())}
    assert {u.label for u in AREA.units} <= chart
