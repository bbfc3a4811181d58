"""`counterpitch share publish|push|pull`: TAXII 2.1. `publish` puts a STIX bundle (what `share export -f stix`
wrote) into the service's own TAXII collections (web/taxii.py) at its TLP; `push` sends one to another
organisation's TAXII server; `pull` fetches a collection from one, as a bundle for `share import`.

Credentials for another server never go on the command line: `--token-file` (Bearer) or `--user` with
`--password-file`, else COUNTERPITCH_TAXII_TOKEN or COUNTERPITCH_TAXII_PASSWORD.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counterpitch.cli.common import err, fail, out, using_store

if TYPE_CHECKING:
    from counterpitch.share.taxii_client import Credentials

#: A bundle file larger than this is refused before it is read.
MAX_BUNDLE_BYTES = 256 * 1024 * 1024
UrlArg = Annotated[str, typer.Argument(help="A TAXII 2.1 collection URL, or an API root URL with --collection.")]
CollectionOpt = Annotated[
    str | None, typer.Option("--collection", "-c", help="The collection's id, alias or title at that API root.")
]
TokenFileOpt = Annotated[Path | None, typer.Option("--token-file", help="A file holding a Bearer token.")]
UserOpt = Annotated[str | None, typer.Option("--user", help="User name for basic authentication.")]
PasswordFileOpt = Annotated[Path | None, typer.Option("--password-file", help="A file holding that user's password.")]


def _secret(path: Path | None, variable: str, what: str) -> str | None:
    if path is None:
        return os.environ.get(variable) or None
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: cannot read the {what}: {getattr(exc, 'strerror', None) or exc}") from None
    if not text:
        raise fail(f"{path}: the {what} file is empty")
    return text


def _credentials(token_file: Path | None, user: str | None, password_file: Path | None) -> Credentials:
    from counterpitch.share.taxii_client import Credentials

    if user is not None:
        return Credentials(user=user, password=_secret(password_file, "COUNTERPITCH_TAXII_PASSWORD", "password"))
    return Credentials(token=_secret(token_file, "COUNTERPITCH_TAXII_TOKEN", "token"))


def read_bundle(path: Path) -> list[dict[str, Any]]:
    """The objects of a STIX 2.1 bundle file; a file that is not one is refused, naming it."""
    if not path.is_file():
        raise fail(f"{path}: no such file")
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise fail(f"{path}: larger than {MAX_BUNDLE_BYTES // (1024 * 1024)} MiB")
    try:
        bundle = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        raise fail(f"{path}: not JSON") from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise fail(f"{path}: not a STIX bundle (expected type 'bundle' with an 'objects' list)")
    objects: list[dict[str, Any]] = bundle["objects"]
    for n, obj in enumerate(objects):
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("type"), str):
            raise fail(f"{path}: objects[{n}]: not a STIX object (each needs 'type' and 'id')")
    return objects


def publish(
    bundle: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle, as `share export -f stix` writes.")],
    tlp: Annotated[str, typer.Option("--tlp", help="clear, green or amber: the collections it goes to.")],
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: COUNTERPITCH_DATABASE_URL).")] = None,
) -> None:
    """Publish a bundle in the service's TAXII collections: the whole graph in campaigns-TLP, the indicators in
    indicators-TLP. Objects already there at the same version are not added again."""
    from counterpitch.store import taxii

    objects = read_bundle(bundle)
    tlp = tlp.lower()
    try:
        with using_store(db) as store, store.write() as session:
            added = taxii.publish(session, objects, tlp)
    except ValueError as exc:
        raise fail(f"{bundle}: {exc}") from None
    for alias, result in added.items():
        out.print(f"{alias}: {len(result.added)} added, {len(result.unchanged)} already there", highlight=False)


def push_cmd(
    url: UrlArg,
    bundle: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle to send.")],
    collection: CollectionOpt = None,
    token_file: TokenFileOpt = None,
    user: UserOpt = None,
    password_file: PasswordFileOpt = None,
) -> None:
    """Send a bundle's objects to another organisation's TAXII 2.1 collection."""
    from counterpitch.share.taxii_client import TaxiiClientError, open_collection, push

    objects = read_bundle(bundle)
    try:
        target = open_collection(url, _credentials(token_file, user, password_file), collection)
        result = push(target, objects)
    except TaxiiClientError as exc:
        raise fail(str(exc)) from None
    out.print(f"{result.successes} of {len(objects)} object(s) taken in {result.envelopes} request(s)", highlight=False)
    for stix_id, message in result.failures:
        err.print(f"refused: {stix_id}: {message}", highlight=False, markup=False)
    if result.failures:
        raise typer.Exit(1)


def pull_cmd(
    url: UrlArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the objects here as a STIX bundle.")],
    collection: CollectionOpt = None,
    added_after: Annotated[
        str | None, typer.Option("--added-after", help="Only objects added after this time (TAXII timestamp).")
    ] = None,
    token_file: TokenFileOpt = None,
    user: UserOpt = None,
    password_file: PasswordFileOpt = None,
) -> None:
    """Fetch a collection of another organisation's TAXII 2.1 server as a STIX bundle (then `share import` it,
    which validates every object and keeps who shared it)."""
    from counterpitch.share.taxii_client import TaxiiClientError, open_collection, pull
    from counterpitch.store.taxii import parse_time

    if added_after is not None:
        try:
            parse_time(added_after, "--added-after")
        except ValueError as exc:
            raise fail(str(exc)) from None
    if not output.parent.is_dir():
        raise fail(f"{output}: its folder does not exist")
    try:
        source = open_collection(url, _credentials(token_file, user, password_file), collection)
        objects = list(pull(source, added_after))
    except TaxiiClientError as exc:
        raise fail(str(exc)) from None
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    output.write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    out.print(f"{len(objects)} object(s) from {source.title!r} written to {output}", highlight=False)
