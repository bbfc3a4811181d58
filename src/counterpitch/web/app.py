"""The web service: `create_app(settings)` wires the store, the engine, the middleware and the routes.

Start-up does the slow things once: migrate the database, build the screening engine, load the service's
watchlist entries. Requests then share them.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from counterpitch.engine import Engine
from counterpitch.ingest import isolated
from counterpitch.model import Approach
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.sessions import Lifetime
from counterpitch.web import (
    account_pages,
    admin,
    analyst_pages,
    api,
    campaign_pages,
    device_pages,
    errors,
    pages,
    reporter_pages,
    sharing_pages,
    taxii,
    watchlist_pages,
)
from counterpitch.web.alerting import Alerter
from counterpitch.web.cors import ApiCors
from counterpitch.web.engines import EngineHolder
from counterpitch.web.security import SecurityMiddleware
from counterpitch.web.services import Service
from counterpitch.web.settings import Settings
from counterpitch.web.templating import make_templates

SESSION_COOKIE = "counterpitch_session"


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The app for these settings (from the environment when None); `engine` lets tests share one."""
    settings = (settings or Settings.from_env()).resolved()
    store = Store(settings.database_url)
    if settings.migrate:
        upgrade(store.engine)
    holder = EngineHolder(engine or Engine.default())
    with store.read() as session:
        holder.load(session)

    alerter = Alerter.from_settings(settings)  # a bad rules file stops start-up here, naming the rule and field

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        alerter.close()  # let deliveries in flight finish
        store.dispose()

    app = FastAPI(
        title="Counterpitch",
        version="1",
        summary="Report and triage suspicious approaches; see the campaigns behind them.",
        docs_url=None,  # the interactive docs pull scripts from a CDN, which the CSP forbids
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    lifetime = Lifetime(
        idle=timedelta(seconds=settings.session_idle_seconds), absolute=timedelta(seconds=settings.session_max_age)
    )
    app.state.service = Service(store, holder, campaigns=settings.link_campaigns, lifetime=lifetime)
    app.state.templates = make_templates()
    app.state.service.alerter = alerter
    app.state.service.reader_limits = isolated.Limits(
        cpu_seconds=settings.upload_cpu_seconds, memory_mb=settings.upload_memory_mb, workers=settings.upload_workers
    )
    alerter.retry_pending(store)
    alerter.flush_updates(store)  # updates held back by the interval when the last process stopped
    for module in (
        api,
        pages,
        admin,
        account_pages,
        reporter_pages,
        analyst_pages,
        campaign_pages,
        watchlist_pages,
        device_pages,
        sharing_pages,
        taxii,
    ):
        app.include_router(module.router)
    if settings.oidc_enabled:
        from counterpitch.web import oidc

        app.include_router(oidc.router_for(settings))
    app.mount("/static", StaticFiles(packages=[("counterpitch.web", "static")]), name="static")
    errors.install(app)
    if settings.cors_origin_list():  # innermost of the middleware: a preflight still gets the security headers
        app.add_middleware(ApiCors, origins=settings.cors_origin_list())
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(
        SecurityMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        hsts=settings.cookie_secure,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the Approach schema the API reads by hand (after authentication)."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        schema = Approach.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        components.update(schema.pop("$defs", {}))
        components["Approach"] = schema
        app.openapi_schema = doc
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """The factory `counterpitch serve` hands to uvicorn (one call per worker process).

    Once the engine is built, everything alive is moved out of the cyclic collector's reach (`gc.freeze`):
    the engine's 170,000-odd long-lived objects made every full collection a ~110 ms pause in the middle of
    some request. They live as long as the process anyway; new objects are collected as usual.
    """
    app = create_app(Settings.from_env())
    gc.collect()
    gc.freeze()
    return app
