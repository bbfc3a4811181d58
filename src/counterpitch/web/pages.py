"""Sign-in, sign-out and the start page. Other page modules follow the same pattern (see web/README.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store.accounts import MAX_NAME, MAX_PASSWORD, Actor
from counterpitch.web.auth import (
    TooManyAttempts,
    check_password,
    optional_actor,
    page_actor,
    sign_in,
    sign_out,
    verify_csrf,
)
from counterpitch.web.nav import home_for
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site: '/x' yes; '//evil', 'https://evil', '/\\evil' no (open-redirect defence)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return "/"
    return target


@router.get("/")
def home(request: Request, actor: Annotated[Actor, Depends(page_actor)]) -> Response:
    """Each role lands on its own first page; the list of pages is the fallback."""
    target = home_for(request.app, actor.role)
    if target is not None:
        return RedirectResponse(target, status_code=303)
    return render(request, "home.html.j2")


@router.get("/signin")
def signin_form(request: Request, next: str = "/") -> Response:
    if optional_actor(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html.j2", {"next": safe_next(next), "name": "", "error": None})


@router.post("/signin", dependencies=[Depends(verify_csrf)])
def signin(
    request: Request,
    name: Annotated[str, Form(max_length=MAX_NAME)],
    password: Annotated[str, Form(max_length=MAX_PASSWORD)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    request.state.actor = None
    context = {"next": safe_next(next), "name": name}
    try:
        user = check_password(request, name, password)
    except TooManyAttempts as exc:
        message = f"Too many failed attempts. Try again in {_wait_in_words(exc.retry_after)}."
        refused = render(request, "signin.html.j2", {**context, "error": message}, status=429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if user is None:
        return render(request, "signin.html.j2", {**context, "error": "Wrong user name or password."}, status=401)
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def _wait_in_words(seconds: int) -> str:
    """How long a refused sign-in must wait, as a person reads it: "30 seconds", "about 4 minutes"."""
    if seconds <= 60:
        return f"{max(seconds, 1)} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)  # rounded up: never tell someone to come back before they may
    return f"about {minutes} minutes"


@router.post("/signout", dependencies=[Depends(verify_csrf)])
def signout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/signin", status_code=303)
