"""Errors as the API contract wants them, `{"detail": ...}` naming the field, and as pages for browsers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from counterpitch.web.auth import Refused, SignInRequired
from counterpitch.web.security import SECURITY_HEADERS
from counterpitch.web.services import Forbidden
from counterpitch.web.taxii import TaxiiError, error_response, is_taxii
from counterpitch.web.templating import render

_log = logging.getLogger("counterpitch.web")
_HEADINGS = {400: "Bad request", 403: "Not allowed", 404: "Not found", 405: "Not allowed", 413: "Too large"}
_HEADINGS |= {422: "Cannot use that input", 429: "Too many attempts"}


def field_errors(
    errors: Sequence[Any], drop: tuple[str, ...] = ("body", "query", "path", "form")
) -> list[dict[str, str]]:
    """Pydantic errors as [{"field": "sender.connections", "message": ...}], the path dotted, list indexes kept."""
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        if loc and loc[0] in drop and len(loc) > 1:
            loc = loc[1:]
        out.append({"field": ".".join(loc) or "body", "message": str(e.get("msg", "invalid"))})
    return out


def validation_response(errors: list[dict[str, str]], status: int = 422) -> JSONResponse:
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    detail = f"{first['field']}: {first['message']}"
    return JSONResponse({"detail": detail, "errors": errors}, status_code=status)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = field_errors(exc.errors())
        if is_taxii(request):
            return error_response(400, "Bad request", "; ".join(f"{e['field']}: {e['message']}" for e in errors))
        if is_api(request):
            return validation_response(errors)
        return _page(request, 422, "; ".join(f"{e['field']}: {e['message']}" for e in errors))

    @app.exception_handler(ValidationError)
    async def invalid_model(request: Request, exc: ValidationError) -> Response:
        return validation_response(field_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc, Refused):
            await run_in_threadpool(_audit_refusal, request)
        if is_taxii(request):
            return error_response(exc.status_code, str(exc.detail), headers=exc.headers)
        if is_api(request) or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return _page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(TaxiiError)
    async def taxii_error(request: Request, exc: TaxiiError) -> Response:
        return error_response(exc.status, exc.title, exc.description)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return await http_error(request, Refused(str(exc)))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Answered by the outermost handler, outside the middleware that adds the security headers: add them
        # here. The page is plain text, not the template, which may be what failed.
        _log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if is_api(request):
            return JSONResponse({"detail": "internal error"}, status_code=500, headers=SECURITY_HEADERS)
        return PlainTextResponse("Something went wrong on our side.", status_code=500, headers=SECURITY_HEADERS)

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/signin?next={quote(exc.next_path, safe='')}", status_code=303)


def _audit_refusal(request: Request) -> None:
    """A signed-in user was refused for their role: the audit log says who, which route and which path."""
    actor = getattr(request.state, "actor", None)
    if actor is not None:
        route = str(getattr(request.scope.get("route"), "path", request.url.path))
        request.app.state.service.record_refusal(actor, request.method, route, request.url.path)


def _page(request: Request, status: int, message: str) -> Response:
    if not hasattr(request.state, "actor"):
        request.state.actor = None
    heading = _HEADINGS.get(status, "Something went wrong")
    return render(request, "error.html.j2", {"status": status, "heading": heading, "message": message}, status)
