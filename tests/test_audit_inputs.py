"""Profiles for an audit from every format (audit/inputs.py), and hostile files. All data here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from counterpitch.audit.inputs import MAX_ITEMS, parse_mapping, read_profiles
from counterpitch.ingest.records import RecordError
from tests.archive_builder import build_archive, zip_bomb

PEOPLE = [
    {"id": "a1", "name": "Iona Fairweather", "headline": "Systems Engineer | SC cleared", "skills": ["Python"]},
    {"id": "a2", "name": "Bram Oakes", "headline": "Analyst", "experience": [{"title": "Analyst", "company": "X"}]},
]


def collect(path: Path | str, **kw: object) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    got = [p.id for p in read_profiles(path, on_error=lambda e: errors.append(str(e)), **kw)]  # type: ignore[arg-type]
    return got, errors


def test_when_jsonl_json_and_array_are_read_then_every_profile_arrives(tmp_path: Path) -> None:
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps(p) for p in PEOPLE) + "\n", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(PEOPLE[0], indent=2), encoding="utf-8")
    (tmp_path / "arr.json").write_text(json.dumps(PEOPLE), encoding="utf-8")
    assert collect(tmp_path / "p.jsonl") == (["a1", "a2"], [])
    assert collect(tmp_path / "one.json") == (["a1"], [])
    assert collect(tmp_path / "arr.json") == (["a1", "a2"], [])


def test_when_a_jsonl_line_is_bad_then_the_error_names_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "p.jsonl"
    f.write_text(json.dumps(PEOPLE[0]) + "\n" + '{"id": "b", "connections": -3}\n{not json\n', encoding="utf-8")
    got, errors = collect(f)
    assert got == ["a1"]
    assert errors[0] == f"{f}, line 2: field 'connections': Input should be greater than or equal to 0"
    assert errors[1].startswith(f"{f}, line 3: malformed JSON")
    with pytest.raises(RecordError, match="line 2"):
        list(read_profiles(f))  # without on_error the first bad record stops the read


def test_when_csv_uses_the_default_mapping_then_columns_become_fields(tmp_path: Path) -> None:
    f = tmp_path / "staff.csv"
    f.write_text(
        "ID,Full Name,Headline,Job Title,Employer,Work Location,Skills,LinkedIn URL\n"
        'c1,Ada Pike,"Engineer | DV",Engineer,Harbourline,Barrow,"Rust; Ada | C",https://linkedin.com/in/ada\n'
        ",No Id,Analyst,,,,,\n",
        encoding="utf-8",
    )
    profiles = list(read_profiles(f))
    assert [p.id for p in profiles] == ["c1", "row-3"]
    p = profiles[0]
    assert p.name == "Ada Pike" and p.profile_url == "https://linkedin.com/in/ada"
    assert p.skills == ("Rust", "Ada", "C")
    assert (p.experience[0].title, p.experience[0].company, p.experience[0].location) == (
        "Engineer",
        "Harbourline",
        "Barrow",
    )


def test_when_map_overrides_a_column_then_it_is_read_as_that_field(tmp_path: Path) -> None:
    f = tmp_path / "hr.csv"
    f.write_text("staff_no,bio,Title\n7,DV cleared since 2019,Engineer\n", encoding="utf-8")
    (p,) = read_profiles(f, csv_mapping=parse_mapping(["staff_no=id", "bio=about"]))
    assert (p.id, p.about) == ("7", "DV cleared since 2019")
    with pytest.raises(ValueError, match="unknown field 'salary'"):
        parse_mapping(["pay=salary"])
    with pytest.raises(ValueError, match="COLUMN=FIELD"):
        parse_mapping(["nonsense"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name,connections\nA,-1\n", "line 2: field 'connections'"),
        (b"colour,size\nred,3\n", "line 1: no known column"),
        (b"", "line 1: empty CSV"),
        (b"name,headline\nA,\xff\xfe bad\n", "not valid UTF-8"),
        (b'name,headline\nA,"' + b"x" * 200_001 + b'"\n', "line 2: field 'headline': too long"),
        (b'name,headline\nA,"' + b"x" * 200_002 + b'"\n', "malformed CSV"),
    ],
)
def test_when_csv_is_hostile_then_the_error_names_the_place(tmp_path: Path, content: bytes, expected: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    _, errors = collect(f)
    assert errors and expected in errors[0] and str(f) in errors[0]


def test_when_parquet_is_read_then_batches_stream_and_nested_columns_pass_through(tmp_path: Path) -> None:
    rows = [
        {
            "id": f"q{i}",
            "name": f"Person {i}",
            "title": "Engineer",
            "experience": [{"title": "Engineer", "company": "Harbourline", "location": None}] if i % 2 else None,
            "skills": ["SC cleared", "Go"],
        }
        for i in range(2500)  # more than two record batches
    ]
    f = tmp_path / "staff.parquet"
    pq.write_table(pa.Table.from_pylist(rows), f, row_group_size=700)
    got = list(read_profiles(f))
    assert len(got) == 2500 and got[0].id == "q0" and got[-1].id == "q2499"
    assert got[0].experience[0].title == "Engineer"  # the flat `title` column
    assert got[1].experience[0].company == "Harbourline"  # the nested column, taken as it is
    assert got[1].skills == ("SC cleared", "Go")


def test_when_parquet_is_not_parquet_or_a_row_is_bad_then_errors_name_it(tmp_path: Path) -> None:
    f = tmp_path / "fake.parquet"
    f.write_bytes(b"PAR1 this is not parquet")
    _, errors = collect(f)
    assert errors and "not a readable Parquet file" in errors[0]
    g = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "ok", "connections": None}, {"id": "neg", "connections": -5}]), g)
    got, errors = collect(g)
    assert got == ["ok"] and errors == [f"{g}, row 2: field 'connections': Input should be greater than or equal to 0"]


def test_when_a_list_is_absurdly_long_then_the_profile_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "long.jsonl"
    f.write_text(json.dumps({"id": "z", "skills": ["x"] * (MAX_ITEMS + 1)}) + "\n", encoding="utf-8")
    got, errors = collect(f)
    assert got == [] and "field 'skills'" in errors[0]


def test_when_a_folder_holds_archives_and_shards_then_each_is_read_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "archives").mkdir(parents=True)
    build_archive(folder / "archives", "2023")
    zip_bomb(folder / "archives" / "z_bomb.zip")
    (folder / "shard-1.jsonl").write_text(json.dumps(PEOPLE[0]) + "\n", encoding="utf-8")
    got, errors = collect(folder)
    assert got == ["archives/Basic_LinkedInDataExport_2023.zip", "a1"]
    assert len(errors) == 1 and "z_bomb.zip" in errors[0]
    (owner,) = read_profiles(folder / "archives" / "Basic_LinkedInDataExport_2023.zip")
    assert owner.name == "Morgan Ashdown" and owner.headline and owner.experience


def test_when_the_path_is_missing_or_an_empty_folder_then_it_says_so(tmp_path: Path) -> None:
    assert collect(tmp_path / "nope.jsonl")[1] == [f"{tmp_path / 'nope.jsonl'}: no such file"]
    (tmp_path / "empty").mkdir()
    assert "empty folder" in collect(tmp_path / "empty")[1][0]
