"""The watchlist page: the seed list the engine was built with, the service's own entries with provenance, an
entry typed in by hand, and (de)activation. An entry is validated exactly as a watchlist file's would be.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import Actor
from counterpitch.web.auth import require_page, service, verify_csrf
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Actor, Depends(require_page("analyst", "admin"))]
MAX_FIELD = 500
MAX_LIST = 4_000
MAX_ID = 120


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:50]


def _handles(text: str) -> dict[str, list[str]]:
    """'wechat: abc_123' per line -> {"wechat": ["abc_123"]}; a line without a kind is named in the error."""
    out: dict[str, list[str]] = {}
    for n, line in enumerate(_lines(text), start=1):
        kind, sep, value = line.partition(":")
        if not sep or not kind.strip() or not value.strip():
            raise ValueError(f"handles: line {n} is not 'kind: value' (for example 'wechat: abc_123')")
        out.setdefault(kind.strip().lower(), []).append(value.strip())
    return out


def entry_from_form(form: dict[str, str], who: str) -> dict[str, Any]:
    """The watchlist mapping a file would hold, from the form; id made from the name when left empty."""
    name = form["name"].strip()
    ident = form["id"].strip().lower() or "service-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60])
    source = form["source"].strip() or f"Listed by {who} in Counterpitch"
    return {
        "id": ident,
        "kind": form["kind"],
        "name": name,
        "company": form["company"].strip(),
        "source": source,
        "source_url": form["source_url"].strip(),
        "notes": form["notes"].strip(),
        "aliases": _lines(form["aliases"]),
        "profile_urls": _lines(form["profile_urls"]),
        "emails": _lines(form["emails"]),
        "email_domains": _lines(form["email_domains"]),
        "handles": _handles(form["handles"]),
    }


def _page(request: Request, actor: Actor, form: dict[str, str], error: str | None = None) -> Response:
    svc = service(request)
    context = {"rows": svc.watchlist(actor), "seed": svc.seed_watchlist(actor), "form": form, "error": error}
    return render(request, "watchlist.html.j2", context, status=422 if error else 200)


FORM_FIELDS = ("id", "name", "company", "source", "source_url", "notes", "aliases", "profile_urls", "emails")
EMPTY_FORM = dict.fromkeys((*FORM_FIELDS, "email_domains", "handles"), "") | {"kind": "persona"}


@router.get("/watchlist")
def watchlist(request: Request, actor: Analyst) -> Response:
    return _page(request, actor, dict(EMPTY_FORM))


@router.post("/watchlist", dependencies=[Depends(verify_csrf)])
def add_entry(
    request: Request,
    actor: Analyst,
    name: Annotated[str, Form(max_length=MAX_FIELD)],
    kind: Annotated[str, Form(max_length=20)] = "persona",
    id: Annotated[str, Form(max_length=MAX_ID)] = "",
    company: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    source: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    source_url: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    notes: Annotated[str, Form(max_length=MAX_LIST)] = "",
    aliases: Annotated[str, Form(max_length=MAX_LIST)] = "",
    profile_urls: Annotated[str, Form(max_length=MAX_LIST)] = "",
    emails: Annotated[str, Form(max_length=MAX_LIST)] = "",
    email_domains: Annotated[str, Form(max_length=MAX_LIST)] = "",
    handles: Annotated[str, Form(max_length=MAX_LIST)] = "",
) -> Response:
    form = {
        "id": id,
        "kind": kind,
        "name": name,
        "company": company,
        "source": source,
        "source_url": source_url,
        "notes": notes,
        "aliases": aliases,
        "profile_urls": profile_urls,
        "emails": emails,
        "email_domains": email_domains,
        "handles": handles,
    }
    try:
        entry_id = service(request).add_watchlist_entry(actor, entry_from_form(form, actor.name))
    except ValueError as exc:
        return _page(request, actor, form, error=str(exc))
    return RedirectResponse(f"/watchlist#entry-{entry_id}", status_code=303)


@router.post("/watchlist/{entry_id}/deactivate", dependencies=[Depends(verify_csrf)])
def deactivate(request: Request, entry_id: str, actor: Analyst) -> Response:
    return _set_active(request, actor, entry_id, False)


@router.post("/watchlist/{entry_id}/activate", dependencies=[Depends(verify_csrf)])
def activate(request: Request, entry_id: str, actor: Analyst) -> Response:
    return _set_active(request, actor, entry_id, True)


def _set_active(request: Request, actor: Actor, entry_id: str, active: bool) -> Response:
    if not service(request).set_watchlist_active(actor, entry_id[:MAX_ID], active):
        raise HTTPException(404, "No such watchlist entry.")
    return RedirectResponse("/watchlist", status_code=303)
