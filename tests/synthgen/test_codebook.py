"""The codebook describes exactly what the generator writes, and its renderings agree with it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from synthgen import read_arrow
from synthgen.codebook.markdown import render_markdown
from synthgen.codebook.model import Codebook, CodebookError, load_codebook, read_codebook_json
from synthgen.codebook.resolve import get_path, resolve_codebook
from synthgen.criminal.params import default_params_dict, load_criminal_params
from synthgen.package.datapackage import build_datapackage, resource_name, validate_datapackage
from synthgen.store.tablefiles import present_tables


def _params() -> dict[str, Any]:
    return load_criminal_params().model_dump()


def _tables_on_disk(directory: Path) -> set[str]:
    """Table names from the folder itself: files and hive folders, at the top and in _truth/."""
    names = set()
    for base in (directory, directory / "_truth"):
        prefix = "" if base == directory else "_truth/"
        for path in base.iterdir():
            if path.suffix in (".parquet", ".csv", ".xlsx"):
                names.add(prefix + path.stem)
            elif path.is_dir() and path.name != "_truth" and any(path.rglob("*.parquet")):
                names.add(prefix + path.name)
    return names


@pytest.mark.parametrize("fixture", ["criminal_small", "criminal_hive"])
def test_every_written_column_is_in_the_codebook_and_back(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    directory: Path = request.getfixturevalue(fixture)
    codebook = load_codebook("criminal")
    assert _tables_on_disk(directory) == set(codebook.tables)
    for name, table in codebook.tables.items():
        written = set(read_arrow(directory, name).column_names)
        assert written == set(table.columns), f"{name}: {written ^ set(table.columns)}"


def _sources_in(tree: Any, prefix: str = "") -> list[str]:
    """Paths of every `source` / `*_source` text in the parameter file."""
    found = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if str(key) == "source" or str(key).endswith("_source"):
                found.append(path)
            else:
                found += _sources_in(value, path)
    return found


def _entries(codebook: Codebook) -> list[Any]:
    cols = [e for t in codebook.tables.values() for c in t.columns.values() for e in c.calibration]
    planted = [e for p in codebook.dataset.planted.values() for e in p.calibration]
    groups = [e for g in codebook.dataset.calibration for e in g.calibration]
    return cols + planted + groups


def test_every_source_of_the_parameter_file_is_cited_with_its_label() -> None:
    params = _params()
    resolved = resolve_codebook(load_codebook(), params, params)
    cited = {e.source_param for e in _entries(resolved)}
    assert set(_sources_in(default_params_dict())) <= cited
    assert all(e.grade in ("S", "D", "K") for e in _entries(resolved))
    coefficients = [g for g in resolved.dataset.calibration if g.title.startswith("决定模型系数")]
    assert coefficients and coefficients[0].instructor_only
    assert all("建模先验，非实证发现" in (e.note or "") for e in coefficients[0].calibration)


def test_vocabularies_follow_the_parameters() -> None:
    params = _params()
    params["crimes"]["shares"]["非法经营"] = {2021: 0.01}
    params["years"] = [2021, 2022]
    resolved = resolve_codebook(load_codebook(), params, _params())
    crimes = resolved.tables["criminal_cases"].columns["crime"].values or []
    assert "非法经营" in crimes and crimes[-1] == "其他犯罪"
    assert resolved.tables["suspects"].columns["year"].values == [2021, 2022]
    entries = resolved.tables["arrest_reviews"].columns["decision"].calibration
    assert [e.param for e in entries if "targets" in e.param] == [
        "targets.non_arrest_rate.2021",
        "targets.non_arrest_rate.2022",
    ]


def test_scenario_changes_are_flagged_in_the_codebook(criminal_small: Path) -> None:
    default = _params()
    params = copy.deepcopy(default)
    params["timing"]["complex_share"]["value"] = 0.2
    resolved = resolve_codebook(load_codebook(), params, default)
    col = resolved.tables["prosecution_reviews"].columns["complex_case"]
    assert [(e.value, e.overridden) for e in col.calibration] == [(0.2, True)]
    plea = resolved.tables["suspects"].columns["plea_leniency"].calibration
    assert plea and not any(e.overridden for e in plea)
    text = render_markdown(resolved, criminal_small)
    assert "`timing.complex_share` = 0.2（已被情景文件改动" in text
    assert text.count("已被情景文件改动") == 1


def _yaml() -> dict[str, Any]:
    text = (Path(__file__).parents[2] / "tools/synthgen/codebook/criminal.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _edit(path: str, value: Any) -> dict[str, Any]:
    data = _yaml()
    *parents, last = path.split("/")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    return data


BROKEN_CODEBOOKS = [
    ("tables/suspects/foreign_keys/0/table", "cases", "不存在的表"),
    ("tables/suspects/primary_key", ["sid"], "不存在的列"),
    ("tables/suspects/columns/age/pattern", r"^\d+$", "pattern 只用于字符串列"),
    ("tables/suspects/columns/age/storage", "string", "storage"),
    ("tables/suspects/columns/is_local/values", [1, 2], "0/1"),
    ("tables/arrest_reviews/date_order", [["received_date", "decision"]], "非日期列"),
    ("tables/suspects/columns/age/type", "float", "type"),
    ("dataset/dgp/models/arrest/column", "verdict", "dgp"),
]


@pytest.mark.parametrize(("path", "value", "message"), BROKEN_CODEBOOKS)
def test_invalid_codebooks_are_rejected(path: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Codebook.model_validate(_edit(path, value))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("tables/persons/columns/education/values_from", ["suspects.schooling"], "不存在"),
        ("tables/suspects/columns/age/sources", [{"param": "suspects.age"}], "不存在"),
        ("tables/suspects/columns/age/sources", [{"param": "crimes.shares"}], "没有 source"),
        (
            "tables/suspects/columns/age/sources",
            [{"param": "suspects.adult_age", "source": "suspects.adult_age.mean"}],
            "不是来源文字",
        ),
    ],
)
def test_unresolvable_references_are_named(path: str, value: Any, message: str) -> None:
    codebook = Codebook.model_validate(_edit(path, value))
    with pytest.raises(CodebookError, match=message):
        resolve_codebook(codebook, _params(), _params())


@pytest.mark.parametrize(
    ("path", "expected"),
    [("volumes.arrest_reviews.2021.value", 125.3), ("targets.juvenile.year", 2021)],
)
def test_get_path_reads_year_keys(path: str, expected: Any) -> None:
    assert get_path(_params(), path) == expected


@pytest.mark.parametrize("path", ["volumes.arrest_reviews.1999", "targets.nope", "years.0"])
def test_get_path_missing(path: str) -> None:
    with pytest.raises(KeyError):
        get_path(_params(), path)


@pytest.mark.parametrize("fixture", ["criminal_small", "criminal_hive"])
def test_written_codebook_markdown_and_datapackage_agree(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    directory: Path = request.getfixturevalue(fixture)
    codebook = read_codebook_json(directory / "codebook.json")
    markdown = (directory / "codebook.md").read_text(encoding="utf-8")
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert validate_datapackage(package, directory) == []
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {resource_name(t) for t in codebook.tables}
    files = present_tables(directory, list(codebook.tables))
    for name, table in codebook.tables.items():
        section = markdown.split(f"## 表 `{name}`", 1)[1].split("\n## ", 1)[0]
        assert all(f"| `{col}` | {c.label} |" in section for col, c in table.columns.items())
        res = resources[resource_name(name)]
        fields = res["schema"]["fields"] + res.get("partitioning", {}).get("fields", [])
        assert [f["name"] for f in fields] == [
            *(
                c
                for c in table.columns
                if c not in ("province_code", "year") or not files[name].hive
            ),
            *(c for c in ("province_code", "year") if files[name].hive and c in table.columns),
        ]
        for f in fields:
            col = table.columns[f["name"]]
            assert f["title"] == col.label
            assert f["constraints"]["required"] is not col.nullable
            assert f["constraints"].get("enum") == col.allowed
        assert res["schema"]["primaryKey"] == table.primary_key
        paths = res["path"] if isinstance(res["path"], list) else [res["path"]]
        assert paths == files[name].paths
        assert len(paths) > 1 if files[name].hive else len(paths) == 1


def test_release_without_truth_hides_instructor_material(criminal_small: Path) -> None:
    full = read_codebook_json(criminal_small / "codebook.json")
    public = {n for n, t in full.tables.items() if not t.instructor_only}
    student = full.restricted(public, include_instructor=False)
    assert set(student.tables) == public and student.dataset.dgp is None
    text = render_markdown(student, criminal_small)
    assert "## 表 `_truth" not in text and "决定模型系数" not in text
    assert "plea_leniency = " not in text and "仅限教师" not in text
    package = build_datapackage(criminal_small, student)
    assert validate_datapackage(package, criminal_small) == []
    assert {r["name"] for r in package["resources"]} == public


def _descriptor(criminal_small: Path) -> dict[str, Any]:
    return json.loads((criminal_small / "datapackage.json").read_text(encoding="utf-8"))


def _suspects(d: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = d["resources"][2]["schema"]
    return schema


BROKEN_PACKAGES = [
    (lambda d: d.update(profile="data-package"), "tabular-data-package"),
    (lambda d: d["resources"][0].update(name="Truth/Latent"), "name 只能含"),
    (lambda d: d["resources"][1].update(path="../outside.parquet"), "相对路径"),
    (lambda d: d["resources"][1].update(path="nowhere.parquet"), "不存在"),
    (lambda d: d["resources"][1].update(format="feather"), "format"),
    (lambda d: _suspects(d)["fields"][0].update(type="text"), "Table Schema 类型"),
    (lambda d: _suspects(d)["fields"].append({"name": "suspect_id", "type": "string"}), "互不相同"),
    (lambda d: _suspects(d).update(primaryKey=["sid"]), "primaryKey"),
    (
        lambda d: _suspects(d)["foreignKeys"][0]["reference"].update(resource="cases"),
        "不存在的资源",
    ),
    (lambda d: _suspects(d)["foreignKeys"][0]["reference"].update(fields=["id"]), "字段无效"),
    (lambda d: d.update(licenses=[{"title": "随便用"}]), "licenses"),
    (lambda d: d.update(sources=[{"path": "https://example.org"}]), "sources"),
]


@pytest.mark.parametrize(("break_it", "message"), BROKEN_PACKAGES)
def test_structural_validation_names_the_problem(
    break_it: Any, message: str, criminal_small: Path
) -> None:
    descriptor = _descriptor(criminal_small)
    assert descriptor["resources"][2]["name"] == "suspects"
    break_it(descriptor)
    problems = validate_datapackage(descriptor, criminal_small)
    assert any(message in p for p in problems), problems
