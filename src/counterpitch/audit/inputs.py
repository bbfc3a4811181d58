"""Profiles to audit, from every form a security team holds them in, read as hostile input and streamed.

Formats, by what the path is:
- `.jsonl` / `.json` / anything else: Profile records (profile.schema.json) as JSON Lines, one JSON object or a
  JSON array (ingest/records.py: size limits, errors by line or item and field). `-` is stdin.
- `.csv`: one person per row, columns by name (DEFAULT_MAPPING below; `--map COLUMN=FIELD` adds or overrides).
- `.parquet` / `.pq`: read one record batch at a time, so memory does not grow with the file. Columns are mapped
  like CSV; a column named after a Profile field that holds lists or structs (`experience`, `skills`, ...) is
  taken as it is.
- `.zip`: a member's LinkedIn archive; its owner's profile is audited, with the archive's file name as its id.
- a folder: every file inside it (recursively, in name order) by the rules above, so a folder may hold members'
  archives or JSONL/Parquet shards.

A bad record is a `RecordError` naming the file, the line (or row) and the field. Without `on_error` the first
one is raised; with it, each is handed over and reading goes on (the CLI's `--keep-going`).

Default CSV mapping (header names; case, spaces and hyphens ignored):

    id                         id
    name, full_name            name
    headline                   headline
    location                   location
    profile_url, url, linkedin_url, linkedin    profile_url
    about, summary             about
    skills                     skills (several in one cell, separated by ; or |)
    certifications             certifications (likewise)
    connections                connections
    title, job_title, position          experience.title      (the current position)
    company, employer, organisation, organization   experience.company
    position_location, work_location    experience.location
    position_description, description   experience.description
    start, started_on          experience.start
    end, finished_on           experience.end
    project, project_title     projects.title
    project_description        projects.description

Each FIELD may also be given by its own name with `_` for `.` (`experience_title`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from counterpitch.ingest.records import RecordError, read_records
from counterpitch.model import MAX_TEXT_CHARS, Profile

#: More entries than this in one list field (positions, skills ...) is refused: no real profile has them, and
#: the limit bounds the work one hostile row can force.
MAX_ITEMS = 500
#: Rows read from Parquet at a time.
PARQUET_BATCH = 1024

FIELDS = (
    "id",
    "name",
    "headline",
    "location",
    "profile_url",
    "about",
    "skills",
    "certifications",
    "connections",
    "experience.title",
    "experience.company",
    "experience.location",
    "experience.description",
    "experience.start",
    "experience.end",
    "projects.title",
    "projects.description",
)
_LISTS = frozenset({"skills", "certifications"})
_ALIASES = {
    "full_name": "name",
    "url": "profile_url",
    "linkedin_url": "profile_url",
    "linkedin": "profile_url",
    "summary": "about",
    "title": "experience.title",
    "job_title": "experience.title",
    "position": "experience.title",
    "company": "experience.company",
    "employer": "experience.company",
    "organisation": "experience.company",
    "organization": "experience.company",
    "position_location": "experience.location",
    "work_location": "experience.location",
    "position_description": "experience.description",
    "description": "experience.description",
    "start": "experience.start",
    "started_on": "experience.start",
    "end": "experience.end",
    "finished_on": "experience.end",
    "project": "projects.title",
    "project_title": "projects.title",
    "project_description": "projects.description",
}
DEFAULT_MAPPING: dict[str, str] = {**{f.replace(".", "_"): f for f in FIELDS}, **_ALIASES}
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".zip": "archive"}

OnError = Callable[[RecordError], None]


def column_key(name: str) -> str:
    """A header as the mapping compares it: lower case, spaces and hyphens as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """`COLUMN=FIELD` pairs (from `--map`) over the default mapping. Raises ValueError naming a bad pair."""
    mapping = dict(DEFAULT_MAPPING)
    for item in items:
        column, sep, target = item.partition("=")
        target = target.strip()
        if not sep or not column.strip():
            raise ValueError(f"--map {item!r}: expected COLUMN=FIELD")
        if target not in FIELDS:
            raise ValueError(f"--map {item!r}: unknown field {target!r}; one of {', '.join(FIELDS)}")
        mapping[column_key(column)] = target
    return mapping


def read_terms(path: Path) -> tuple[str, ...]:
    """A sensitive-terms file: one term per line (`SHORT = Full Name = alias | sense words`, read by
    detectors/exposure/projects.py), blank lines and `#` comments ignored."""
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def read_profiles(
    path: str | Path, *, csv_mapping: Mapping[str, str] | None = None, on_error: OnError | None = None
) -> Iterator[Profile]:
    """Every profile at `path` (a file, a folder or `-`), lazily; errors raised or handed to `on_error`."""
    mapping = dict(csv_mapping) if csv_mapping is not None else DEFAULT_MAPPING
    for item in records_at(str(path), mapping):
        if isinstance(item, RecordError):
            if on_error is None:
                raise item
            on_error(item)
        else:
            yield item


def records_at(path: str, mapping: Mapping[str, str]) -> Iterator[Profile | RecordError]:
    if path == "-":
        import sys

        yield from checked(read_records(sys.stdin.buffer, Profile, "<stdin>"), "<stdin>")
        return
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        if not files:
            yield RecordError(path, "", "", "an empty folder: expected profile files or LinkedIn archives")
        for f in files:
            yield from read_file(f, mapping, name=str(f.relative_to(p)))
        return
    if not p.is_file():
        yield RecordError(path, "", "", "no such file")
        return
    yield from read_file(p, mapping, name=p.name)


def read_file(p: Path, mapping: Mapping[str, str], name: str) -> Iterator[Profile | RecordError]:
    kind = _SUFFIXES.get(p.suffix.lower(), "json")
    source = str(p)
    try:
        if kind == "csv":
            with p.open(encoding="utf-8-sig", newline="") as fh:
                yield from checked(read_csv_profiles(fh, source, mapping), source)
        elif kind == "parquet":
            yield from checked(read_parquet_profiles(p, mapping), source)
        elif kind == "archive":
            yield from checked([_archive_owner(p, name)], source)
        else:
            with p.open("rb") as fh:
                yield from checked(read_records(fh, Profile, source), source)
    except OSError as exc:
        yield RecordError(source, "", "", f"cannot read: {exc.strerror or exc}")


def _archive_owner(p: Path, name: str) -> Profile | RecordError:
    """A member's archive: only the owner's profile matters here (its messages are read and dropped)."""
    from counterpitch.ingest.linkedin_archive import read_archive

    try:
        owner = read_archive(p).owner
    except RecordError as err:
        return err
    return owner.model_copy(update={"id": name})


def checked(records: Iterable[Profile | RecordError], source: str) -> Iterator[Profile | RecordError]:
    """Lists beyond MAX_ITEMS are refused, whatever format they came in."""
    for rec in records:
        if isinstance(rec, Profile):
            for field in ("experience", "skills", "certifications", "projects", "education"):
                if len(getattr(rec, field)) > MAX_ITEMS:
                    rec = RecordError(source, f"profile {rec.id!r}", field, f"more than {MAX_ITEMS} entries")
                    break
        yield rec


# --- CSV and Parquet rows -------------------------------------------------------------------------------------


def row_to_record(cells: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """One flat row as a Profile dict. Mapped columns are text; a column named after a Profile field that holds
    a list or a struct (Parquet) is passed through for the model to validate."""
    record: dict[str, Any] = {}
    position: dict[str, Any] = {}
    project: dict[str, Any] = {}
    for column, value in cells.items():
        if value is None:
            continue
        if isinstance(value, list | dict) and column in Profile.model_fields:
            record[column] = value  # a nested Parquet column, validated by the model
            continue
        target = mapping.get(column_key(column))
        if target is None:
            continue
        text = value if isinstance(value, str) else str(value)
        if not text.strip():
            continue
        if target in _LISTS:
            record[target] = [s.strip() for s in text.replace("|", ";").split(";") if s.strip()]
        elif target.startswith("experience."):
            position[target.split(".", 1)[1]] = text.strip()
        elif target.startswith("projects."):
            project[target.split(".", 1)[1]] = text.strip()
        else:
            record[target] = text.strip()
    # A nested column (Parquet) holds the whole list and wins over the flat columns for the same field.
    if position and "experience" not in record:
        record["experience"] = [position]
    if project and "projects" not in record:
        record["projects"] = [project]
    return record


def _column_of(loc: tuple[int | str, ...], mapping: Mapping[str, str], header: Sequence[str]) -> str:
    """The column a validation error points at: the header whose mapping leads to the failing field."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    target = ".".join(parts[:2])
    for name in header:
        if mapping.get(column_key(name)) in (target, parts[0] if parts else ""):
            return name
    return parts[0] if parts else ""


def validate_row(
    cells: Mapping[str, Any], mapping: Mapping[str, str], source: str, where: str, default_id: str
) -> Profile | RecordError:
    record = row_to_record(cells, mapping)
    record.setdefault("id", default_id)
    try:
        return Profile.model_validate(record)
    except ValidationError as exc:
        e = exc.errors()[0]
        msg = e["msg"] if e["type"] != "string_too_long" else f"too long (more than {MAX_TEXT_CHARS:,} characters)"
        return RecordError(source, where, _column_of(e["loc"], mapping, list(cells)), msg)


def read_csv_profiles(
    stream: io.TextIOBase, source: str, mapping: Mapping[str, str]
) -> Iterator[Profile | RecordError]:
    """Rows of a CSV as profiles, streamed (a row missing an id becomes `row-N`)."""
    # The csv module's limit is process-wide and other readers set it: set it here, so that a cell just past
    # MAX_TEXT_CHARS is one refused row naming its field (as ingest/tabular.py does), whatever ran before.
    csv.field_size_limit(MAX_TEXT_CHARS + 1)
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        yield RecordError(source, "line 1", "", "empty CSV: expected a header row")
        return
    except UnicodeDecodeError:
        yield RecordError(source, "line 1", "", "not valid UTF-8 near here; save the CSV as UTF-8")
        return
    except csv.Error as exc:
        yield RecordError(source, "line 1", "", f"unreadable CSV header: {exc}")
        return
    if not any(column_key(h) in mapping for h in header):
        yield RecordError(source, "line 1", "", "no known column in the header (see audit/inputs.py for the mapping)")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            where = f"line {reader.line_num + 1}"
            yield RecordError(source, where, "", "not valid UTF-8 near here; save the CSV as UTF-8")
            return
        except csv.Error as exc:
            yield RecordError(source, f"line {reader.line_num}", "", f"malformed CSV: {exc}")
            return
        if any(cell.strip() for cell in row):
            cells = dict(zip(header, row, strict=False))
            yield validate_row(cells, mapping, source, f"line {reader.line_num}", f"row-{reader.line_num}")


def read_parquet_profiles(path: Path, mapping: Mapping[str, str]) -> Iterator[Profile | RecordError]:
    """Rows of a Parquet file as profiles, one record batch at a time (a row missing an id becomes `row-N`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(path)
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield RecordError(source, "", "", f"not a readable Parquet file: {exc}")
        return
    number = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH):
            for row in batch.to_pylist():
                number += 1
                yield validate_row(row, mapping, source, f"row {number}", f"row-{number}")
    except (pa.ArrowException, OSError) as exc:
        yield RecordError(source, f"row {number + 1}", "", f"unreadable Parquet data: {exc}")
