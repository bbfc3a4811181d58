"""`/account`: the signed-in person's own details (title, team, organisation), which every report they file is
assessed for. Admins change anyone's on the users page (admin.py); both go through `Service.set_details`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import DETAIL_FIELDS, MAX_DETAIL, Actor
from counterpitch.web.auth import page_actor, service, verify_csrf
from counterpitch.web.params import Flag
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)
Anyone = Annotated[Actor, Depends(page_actor)]
#: What a form field may carry before cleaning (control characters and runs of spaces go): a bound on the
#: request, not the rule; accounts.clean_detail says "at most MAX_DETAIL characters".
FORM_DETAIL = 4 * MAX_DETAIL
Detail = Annotated[str, Form(max_length=FORM_DETAIL)]


@router.get("/account")
def account(request: Request, actor: Anyone, saved: Flag = 0) -> Response:
    details = service(request).details(actor, actor.id)
    values = {k: getattr(details, k) or "" for k in DETAIL_FIELDS} if details is not None else {}
    return _page(request, values, None, saved=bool(saved))


def _page(request: Request, values: dict[str, str], error: str | None, *, saved: bool = False) -> Response:
    context = {"values": values, "error": error, "saved": saved, "max_detail": MAX_DETAIL}
    return render(request, "account.html.j2", context, status=422 if error else 200)


@router.post("/account", dependencies=[Depends(verify_csrf)])
def save(request: Request, actor: Anyone, title: Detail = "", team: Detail = "", organisation: Detail = "") -> Response:
    values = {"title": title, "team": team, "organisation": organisation}
    try:
        service(request).set_details(actor, actor.id, values)
    except ValueError as exc:
        return _page(request, values, str(exc))
    return RedirectResponse("/account?saved=1", status_code=303)
