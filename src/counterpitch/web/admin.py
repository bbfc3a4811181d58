"""Admin pages: the users (list, add, change role, deactivate, reactivate, their title, team and organisation)
and the audit log (read only: no edit route)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import MAX_DETAIL, MAX_NAME, MAX_PASSWORD, Actor
from counterpitch.store.tables import ROLES
from counterpitch.web.account_pages import Detail
from counterpitch.web.auth import require_page, service, verify_csrf
from counterpitch.web.params import QueryId, RowId
from counterpitch.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
Admin = Annotated[Actor, Depends(require_page("admin"))]
AUDIT_PAGE = 200


def _users_page(
    request: Request, actor: Actor, error: str | None = None, added: str | None = None, saved: str | None = None
) -> Response:
    users = service(request).users(actor)
    context = {"users": users, "roles": ROLES, "error": error, "added": added, "saved": saved, "max_detail": MAX_DETAIL}
    return render(request, "admin_users.html.j2", context, status=422 if error else 200)


@router.get("/users")
def users(request: Request, actor: Admin, added: str | None = None, saved: str | None = None) -> Response:
    return _users_page(request, actor, added=added, saved=saved)


@router.post("/users", dependencies=[Depends(verify_csrf)])
def add_user(
    request: Request,
    actor: Admin,
    name: Annotated[str, Form(max_length=MAX_NAME)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    title: Detail = "",
    team: Detail = "",
    organisation: Detail = "",
) -> Response:
    details = {"title": title, "team": team, "organisation": organisation}
    try:
        service(request).add_user(actor, name, role, password or None, details)
    except ValueError as exc:
        return _users_page(request, actor, error=str(exc))
    return RedirectResponse(f"/admin/users?added={quote(name.strip())}", status_code=303)


@router.post("/users/{user_id}/details", dependencies=[Depends(verify_csrf)])
def set_details(
    request: Request, user_id: RowId, actor: Admin, title: Detail = "", team: Detail = "", organisation: Detail = ""
) -> Response:
    """An account's title, team and organisation, as its owner would set them on /account."""
    details = {"title": title, "team": team, "organisation": organisation}
    try:
        found = service(request).set_details(actor, user_id, details)
    except ValueError as exc:
        return _users_page(request, actor, error=str(exc))
    if not found:
        raise HTTPException(404, "No such user.")
    return RedirectResponse(f"/admin/users?saved={user_id}", status_code=303)


@router.post("/users/{user_id}/role", dependencies=[Depends(verify_csrf)])
def set_role(request: Request, user_id: RowId, actor: Admin, role: Annotated[str, Form(max_length=16)]) -> Response:
    """Another role for an account: its page sessions end, so its next page is one the new role may see."""
    try:
        found = service(request).set_user_role(actor, user_id, role)
    except ValueError as exc:
        return _users_page(request, actor, error=str(exc))
    if not found:
        raise HTTPException(404, "No such user.")
    return RedirectResponse(f"/admin/users#user-{user_id}", status_code=303)


@router.post("/users/{user_id}/deactivate", dependencies=[Depends(verify_csrf)])
def deactivate(request: Request, user_id: RowId, actor: Admin) -> Response:
    return _set_active(request, actor, user_id, False)


@router.post("/users/{user_id}/activate", dependencies=[Depends(verify_csrf)])
def activate(request: Request, user_id: RowId, actor: Admin) -> Response:
    return _set_active(request, actor, user_id, True)


def _set_active(request: Request, actor: Actor, user_id: int, active: bool) -> Response:
    try:
        found = service(request).set_user_active(actor, user_id, active)
    except ValueError as exc:
        return _users_page(request, actor, error=str(exc))
    if not found:
        raise HTTPException(404, "No such user.")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_log(request: Request, actor: Admin, before: QueryId = None) -> Response:
    rows = service(request).audit_log(actor, limit=AUDIT_PAGE, before_id=before)
    return render(request, "admin_audit.html.j2", {"rows": rows, "more": len(rows) == AUDIT_PAGE})
