"""`counterpitch audit` end to end on an invented organisation (tests/fixtures/audit/harbourline.jsonl): the
outputs, the mosaic's inferences, GraphML, formula-safe CSV and the escaped HTML report."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from jsonschema import Draft202012Validator

from counterpitch.audit.core import audit_engine, audit_profile
from counterpitch.audit.export import person_row, safe_cell
from counterpitch.audit.graph import build_graph, clusters, named_lines, rosters, write_graphml
from counterpitch.audit.inputs import read_profiles, read_terms
from counterpitch.audit.run import Partial, audit_into
from counterpitch.model import Profile
from counterpitch.report.audit_html import render_audit
from counterpitch.report.html import made_at
from tests.conftest import SCHEMAS
from tests.test_batch import TERMS as BATCH_TERMS
from tests.test_batch import invented, write_jsonl

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"
ORG = FIXTURES / "harbourline.jsonl"
TERMS = FIXTURES / "harbourline_terms.txt"
ENTRY = "import sys; from counterpitch.cli import app; sys.argv[0] = 'counterpitch'; app()"


def audit_cli(*args: str, hash_seed: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command in a real subprocess (exit codes, stdout and stderr as a user sees them)."""
    cmd = [sys.executable, "-c", ENTRY, "audit", *args]
    env = (
        {**os.environ, "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": "1764806400"}
        if hash_seed is not None
        else None
    )
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False, env=env)


@pytest.fixture(scope="module")
def partial() -> Partial:
    return audit_into(audit_engine(read_terms(TERMS)), read_profiles(ORG), Partial.empty(top_k=20))


def test_when_the_org_is_audited_then_the_mosaic_shows_rosters_lines_and_clusters(partial: Partial) -> None:
    people = partial.mosaic.kept()
    assert {t: [p.name for p in ps] for t, ps in rosters(people)} == {
        "Kestrel Bay": ["Morag Quill", "Tobias Renn"],
        "MARLIN 4": ["Dafydd Orme", "Owain Pell"],
        "Type 83": ["Lena Brack", "Rory Vance"],
    }
    g = build_graph(people)
    assert named_lines(g) == [
        ("Dafydd Orme", "Helen Sayle", "title: Deputy to the Chief Engineer"),
        ("Jess Arden", "Owain Pell", "same team: Trials Lead / Trials Engineer"),
        ("Priya Castell", "Morag Quill", "same team: Head of Sonar Systems / Sonar Systems Engineer"),
        ("Rory Vance", "Head of Combat Systems", "says: Head of Combat Systems"),
        ("Tobias Renn", "Morag Quill", "same team: Head of Sonar Systems / Sonar Systems Engineer"),
    ]
    assert all(d["inferred"] for _, _, d in g.edges(data=True) if d["relation"] == "reports_to")
    sites = {(c.site, len(c.people)) for c in clusters(people)}
    assert sites == {("Barrow-in-Furness", 6), ("Faslane", 2)}


def test_when_people_share_only_a_place_then_the_mosaic_links_no_one() -> None:
    engine = audit_engine(())
    part = Partial.empty()
    for i in range(3):
        p = Profile(id=f"x{i}", name=f"N{i}", headline="Accountant", location="Barrow-in-Furness, England")
        part.add(p, audit_profile(engine, p))
    assert part.mosaic.kept() == [] and clusters(part.mosaic.kept()) == []


def test_when_graphml_is_written_then_it_reads_back_with_the_same_nodes_and_edges(
    partial: Partial, tmp_path: Path
) -> None:
    g = build_graph(partial.mosaic.kept())
    write_graphml(g, tmp_path / "m.graphml")
    back = nx.read_graphml(tmp_path / "m.graphml")
    assert set(back.nodes) == set(g.nodes) and set(back.edges) == set(g.edges)
    assert back.nodes["clearance:UK:SC"]["kind"] == "clearance"
    assert back.nodes["person:hl-01"]["label"] == "Morag Quill"
    assert back.edges["person:hl-04", "person:hl-05"]["relation"] == "reports_to"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Engineer = good", "Engineer = good"),
        ("", ""),
    ],
)
def test_when_a_cell_starts_with_a_formula_trigger_then_it_is_quoted(raw: str, safe: str) -> None:
    assert safe_cell(raw) == safe


def test_when_a_headline_is_a_formula_then_the_csv_row_holds_it_as_text() -> None:
    p = Profile(id="=evil", name="@me", headline='=HYPERLINK("http://x.example","y") | DV')
    row = person_row(p, audit_profile(audit_engine(()), p))
    assert row[:3] == ["'=evil", "'@me", "'" + p.headline]  # type: ignore[operator]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)


def test_when_the_report_is_rendered_then_profile_text_is_escaped_and_nothing_is_external(partial: Partial) -> None:
    html = render_audit(partial.summary, partial.mosaic, build_graph(partial.mosaic.kept()), org="Harbourline <b>")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<img" not in html and "Harbourline &lt;b&gt;" in html
    assert "http://evil.example" not in html.replace("&#34;http://evil.example&#34;", "")  # shown only as text
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert html.count("<svg") == 4  # schemes, levels, terms, the mosaic
    assert "2 people name <b>Kestrel Bay</b>" in html


def test_when_audit_runs_with_out_then_every_output_is_written(tmp_path: Path) -> None:
    done = audit_cli(str(ORG), "--terms", str(TERMS), "--org", "Harbourline", "--out", str(tmp_path), "-f", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary == json.loads((tmp_path / "summary.json").read_text())
    assert summary["profiles"] == 12 and summary["people_with"]["clearances"] == 8
    assert {c["value"]: c["people"] for c in summary["terms"]} == {"Kestrel Bay": 2, "MARLIN 4": 2, "Type 83": 2}
    lines = (tmp_path / "assessments.jsonl").read_text().splitlines()
    assert len(lines) == 12
    rows = list(csv.reader(io.StringIO((tmp_path / "people.csv").read_text())))
    assert len(rows) == 13 and rows[0][0] == "id"
    assert nx.read_graphml(tmp_path / "mosaic.graphml").number_of_nodes() > 12
    assert "The mosaic" in (tmp_path / "report.html").read_text()


def test_when_audited_twice_then_every_output_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    # The same audit must give the same report: the mosaic's layout once followed Python's string hashing.
    people = write_jsonl(tmp_path / "people.jsonl", invented(200))
    terms = tmp_path / "terms.txt"
    terms.write_text("\n".join([*BATCH_TERMS, *TERMS.read_text("utf-8").splitlines()]) + "\n", "utf-8")
    for seed in ("1", "2"):
        done = audit_cli(str(ORG), str(people), "--terms", str(terms), "--out", str(tmp_path / seed), hash_seed=seed)
        assert done.returncode == 0, done.stderr
    for name in ("report.html", "mosaic.graphml", "summary.json", "people.csv", "assessments.jsonl"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_when_format_is_jsonl_then_each_line_is_an_assessment_with_scheme_level_values() -> None:
    done = audit_cli(str(ORG), "--terms", str(TERMS), "-f", "jsonl")
    assert done.returncode == 0, done.stderr
    docs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["id"] for d in docs] == [f"hl-{i:02d}" for i in range(1, 13)]
    if (SCHEMAS / "assessment.schema.json").is_file():
        validator = Draft202012Validator(json.loads((SCHEMAS / "assessment.schema.json").read_text()))
        for d in docs:
            validator.validate(d)
    first = {f["detector"]: f["value"] for f in docs[0]["findings"]}
    assert first == {"exposure.clearance": "UK:DV", "exposure.sensitive_project": "Kestrel Bay"}
    assert docs[9]["findings"] == [] and docs[10]["findings"] == []  # "no clearance required", a job advert


def test_when_a_record_is_bad_then_exit_is_2_and_keep_going_audits_the_rest(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text('{"id": "ok", "headline": "DV cleared"}\n{"id": ""}\n{"id": "ok2"}\n', encoding="utf-8")
    stopped = audit_cli(str(f), "-f", "jsonl")
    assert stopped.returncode == 2 and len(stopped.stdout.splitlines()) == 1
    assert f"{f}, line 2: field 'id'" in stopped.stderr and "--keep-going" in stopped.stderr
    going = audit_cli(str(f), "-f", "jsonl", "--keep-going")
    assert going.returncode == 2 and [json.loads(x)["id"] for x in going.stdout.splitlines()] == ["ok", "ok2"]


def test_when_options_are_wrong_then_the_error_says_which(tmp_path: Path) -> None:
    assert "--format must be" in audit_cli(str(ORG), "-f", "xml").stderr
    assert "unknown field" in audit_cli(str(ORG), "--map", "a=salary").stderr
    assert "its folder does not exist" in audit_cli(str(ORG), "--html", str(tmp_path / "no" / "r.html")).stderr


def test_when_format_is_csv_then_stdout_is_formula_safe_rows() -> None:
    done = audit_cli(str(ORG), "--terms", str(TERMS), "-f", "csv")
    rows = list(csv.reader(io.StringIO(done.stdout)))
    evil = next(r for r in rows if r[0] == "hl-12")
    assert evil[2].startswith("'=HYPERLINK") and evil[5] == "UK:DV"


def test_when_profiles_come_on_stdin_then_they_are_audited() -> None:
    cmd = [sys.executable, "-c", ENTRY, "audit", "-", "-f", "jsonl"]
    done = subprocess.run(cmd, input='{"id": "s1", "headline": "NV1 cleared"}\n', capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"][0]["value"] == "AU:NV1"


def test_when_nobody_discloses_anything_then_the_report_says_so_without_charts(tmp_path: Path) -> None:
    f = tmp_path / "quiet.jsonl"
    f.write_text('{"id": "q1", "headline": "Accountant"}\n', encoding="utf-8")
    done = audit_cli(str(f), "--html", str(tmp_path / "r.html"), "--graphml", str(tmp_path / "m.graphml"))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "r.html").read_text()
    assert "No profile states a clearance." in html and "Nothing to draw" in html and "<svg" not in html
    assert nx.read_graphml(tmp_path / "m.graphml").number_of_nodes() == 0


def test_when_source_date_epoch_is_set_then_reports_carry_that_time_and_a_bad_value_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    assert made_at() == "2025-12-04 00:00 UTC"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match=r"SOURCE_DATE_EPOCH must be whole seconds.*'yesterday'"):
        made_at()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert made_at().endswith(" UTC") and made_at()[:4].isdigit()
