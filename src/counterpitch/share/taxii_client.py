"""Push to and pull from another organisation's TAXII 2.1 server (taxii2-client, decision 0079).

`open_collection` takes a collection's URL, or an API root's URL with the collection's id, alias or title.
Credentials come from files or the environment, never the command line (where `ps` shows them): a Bearer token
(a Counterpitch service, OpenCTI) or a user and password (basic auth: medallion, many ISAC servers).

`push` sends objects in envelopes that fit the server's `max_content_length`, and reports what the server's
status said of each; `pull` yields the objects a collection holds, page by page (`added_after` for what is new
since the last pull), for `share import` to validate and put on the watchlist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import ApiRoot, Collection, as_pages

#: Envelopes are cut below the server's limit, leaving room for the wrapper.
_MARGIN = 1024
PAGE = 500


class TaxiiClientError(Exception):
    """The other server could not be reached, refused us, or answered what TAXII does not allow."""


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    user: str | None = None
    password: str | None = None

    def kwargs(self) -> dict[str, Any]:
        if self.token:
            return {"auth": BearerAuth(self.token)}
        if self.user:
            return {"user": self.user, "password": self.password or ""}
        return {}


def open_collection(url: str, credentials: Credentials, collection: str | None = None) -> Collection:
    """The collection at `url`, or the one of the API root at `url` whose id, alias or title is `collection`."""
    try:
        if collection is None:
            found = Collection(url, **credentials.kwargs())
            found.refresh()
            return found
        root = ApiRoot(url, **credentials.kwargs())
        for c in root.collections:
            if collection in (c.id, c.title, c.alias):
                return c
    except (requests.RequestException, TAXIIServiceException) as exc:
        raise TaxiiClientError(f"{url}: {_reason(exc)}") from None
    raise TaxiiClientError(f"{url}: no collection {collection!r} (ask for its id, alias or title)")


def _reason(exc: Exception) -> str:
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        status = exc.response.status_code
        what = {401: "not signed in (check the credentials)", 403: "refused for this account", 404: "not found"}
        return f"HTTP {status}: {what.get(status, exc.response.reason)}"
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect"
    return str(exc).splitlines()[0][:300]


@dataclass
class Pushed:
    envelopes: int = 0
    successes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def push(collection: Collection, objects: Sequence[Mapping[str, Any]], max_bytes: int | None = None) -> Pushed:
    """Send `objects` to a collection that can be written, in envelopes under `max_bytes` (default: what the
    server's API root says); what each status said is added up."""
    if not collection.can_write:
        raise TaxiiClientError(f"{collection.url}: this account may not add objects to {collection.title!r}")
    limit = max_bytes or _server_limit(collection)
    result = Pushed()
    for envelope in _envelopes(objects, limit):
        try:
            status = collection.add_objects(envelope, wait_for_completion=True, poll_interval=1, timeout=60)
        except (requests.RequestException, TAXIIServiceException) as exc:
            raise TaxiiClientError(f"{collection.url}: {_reason(exc)}") from None
        result.envelopes += 1
        result.successes += int(status.success_count or 0)
        for failure in status.failures or []:
            result.failures.append((str(failure.get("id", "?")), str(failure.get("message", ""))))
    return result


def _server_limit(collection: Collection) -> int:
    try:
        root_url = collection.url.split("collections/")[0]
        root = ApiRoot(root_url, conn=collection._conn)
        return int(root.max_content_length or 1_000_000)
    except (requests.RequestException, TAXIIServiceException, ValueError, TypeError):
        return 1_000_000


def _envelopes(objects: Sequence[Mapping[str, Any]], limit: int) -> Iterator[str]:
    budget = max(limit - _MARGIN, 1)
    batch: list[str] = []
    size = 0
    for obj in objects:
        text = json.dumps(obj, separators=(",", ":"))
        if len(text.encode()) > budget:
            raise TaxiiClientError(f"{obj.get('id', 'an object')}: larger than the server takes ({limit} bytes)")
        if batch and size + len(text) + 1 > budget:
            yield '{"objects":[' + ",".join(batch) + "]}"
            batch, size = [], 0
        batch.append(text)
        size += len(text) + 1
    if batch:
        yield '{"objects":[' + ",".join(batch) + "]}"


def pull(collection: Collection, added_after: str | None = None) -> Iterator[dict[str, Any]]:
    """Every object of the collection (the last version of each), oldest first, page by page."""
    if not collection.can_read:
        raise TaxiiClientError(f"{collection.url}: this account may not read {collection.title!r}")
    filters = {"added_after": added_after} if added_after else {}
    try:
        for envelope in as_pages(collection.get_objects, per_request=PAGE, **filters):
            for obj in envelope.get("objects", []):
                if isinstance(obj, dict):
                    yield obj
    except (requests.RequestException, TAXIIServiceException) as exc:
        raise TaxiiClientError(f"{collection.url}: {_reason(exc)}") from None
