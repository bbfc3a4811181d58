"""Jinja2 for the pages: autoescape always on (templates end in .j2, which Starlette's default would not
escape), undefined variables are errors, and every page gets the signed-in actor, its nav and a CSRF token.

Routes call `render(request, "name.html.j2", {...})`. Never mark message or profile text `|safe`: it comes
from the people we suspect.
"""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from counterpitch.web.auth import csrf_token, settings
from counterpitch.web.nav import nav_for


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("counterpitch.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def render(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    actor = getattr(request.state, "actor", None)
    base = {
        "actor": actor,
        "nav": nav_for(request.app, actor.role if actor else None),
        "csrf_token": csrf_token(request),
        "org_name": settings(request).org_name,
        "oidc_enabled": settings(request).oidc_enabled,
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status)
