"""`/account`: the signed-in person's own details (title, team, organisation), which every report they file is
assessed for, and their own page sessions, any of which they can end. Admins change anyone's details on the
users page (admin.py); both go through `Service.set_details`.

Ending a session deletes its row (store/sessions.py), so its cookie is refused on its next request wherever it
has been copied. A session id that is not the person's own is 404, as for reports.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import DETAIL_FIELDS, MAX_DETAIL, Actor
from counterpitch.web.auth import page_actor, service, session_token, sign_out, verify_csrf
from counterpitch.web.params import Flag, RowId
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)
Anyone = Annotated[Actor, Depends(page_actor)]
#: What a form field may carry before cleaning (control characters and runs of spaces go): a bound on the
#: request, not the rule; accounts.clean_detail says "at most MAX_DETAIL characters".
FORM_DETAIL = 4 * MAX_DETAIL
Detail = Annotated[str, Form(max_length=FORM_DETAIL)]


@router.get("/account")
def account(request: Request, actor: Anyone, saved: Flag = 0, ended: Flag = 0) -> Response:
    details = service(request).details(actor, actor.id)
    values = {k: getattr(details, k) or "" for k in DETAIL_FIELDS} if details is not None else {}
    return _page(request, values, None, saved=bool(saved), ended=bool(ended))


def _page(
    request: Request, values: dict[str, str], error: str | None, *, saved: bool = False, ended: bool = False
) -> Response:
    actor: Actor = request.state.actor
    context = {
        "values": values,
        "error": error,
        "saved": saved,
        "ended": ended,
        "max_detail": MAX_DETAIL,
        "sessions": service(request).my_sessions(actor, session_token(request)),
    }
    return render(request, "account.html.j2", context, status=422 if error else 200)


@router.post("/account", dependencies=[Depends(verify_csrf)])
def save(request: Request, actor: Anyone, title: Detail = "", team: Detail = "", organisation: Detail = "") -> Response:
    values = {"title": title, "team": team, "organisation": organisation}
    try:
        service(request).set_details(actor, actor.id, values)
    except ValueError as exc:
        return _page(request, values, str(exc))
    return RedirectResponse("/account?saved=1", status_code=303)


@router.post("/account/sessions/{session_id}/end", dependencies=[Depends(verify_csrf)])
def end_session(request: Request, session_id: RowId, actor: Anyone) -> Response:
    """End one of the person's own sessions; ending this browser's own is signing out."""
    current = session_token(request)
    if current is not None and any(
        s.id == session_id and s.current for s in service(request).my_sessions(actor, current)
    ):
        sign_out(request)
        return RedirectResponse("/signin", status_code=303)
    if not service(request).end_my_session(actor, session_id):
        raise HTTPException(404, "No such session.")
    return RedirectResponse("/account?ended=1", status_code=303)


@router.post("/account/sessions/end-others", dependencies=[Depends(verify_csrf)])
def end_other_sessions(request: Request, actor: Anyone) -> Response:
    """Sign out everywhere else: every session of the person's but this browser's."""
    current = session_token(request)
    if current is not None:
        service(request).end_my_other_sessions(actor, current)
    return RedirectResponse("/account?ended=1", status_code=303)
