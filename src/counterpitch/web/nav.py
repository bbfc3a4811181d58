"""Where each role goes: the navigation bar and the page a role lands on after sign-in.

Links whose route is not registered are left out, so the bar never points at a missing page.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Route

NAV: dict[str, list[tuple[str, str]]] = {
    "reporter": [("Report an approach", "/report"), ("My reports", "/my-reports"), ("My details", "/account")],
    "analyst": [
        ("Queue", "/queue"),
        ("Campaigns", "/campaigns"),
        ("Alerts", "/alerts"),
        ("Watchlist", "/watchlist"),
        ("Devices", "/devices"),
        ("Sharing", "/sharing"),
        ("My details", "/account"),
    ],
    "admin": [
        ("Queue", "/queue"),
        ("Campaigns", "/campaigns"),
        ("Alerts", "/alerts"),
        ("Watchlist", "/watchlist"),
        ("Devices", "/devices"),
        ("Sharing", "/sharing"),
        ("Users", "/admin/users"),
        ("Audit log", "/admin/audit"),
        ("My details", "/account"),
    ],
}


def endpoints(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """Every (path, methods) the app answers, routers included (FastAPI >= 0.160 no longer flattens them)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: included routers are flattened into app.routes
        return [(r.path, frozenset(r.methods or ())) for r in app.routes if isinstance(r, Route)]
    out = []
    for ctx in iter_route_contexts(app.routes):
        if ctx.path is not None and ctx.methods is not None:
            out.append((ctx.path, frozenset(ctx.methods)))
    return out


def page_paths(app: FastAPI) -> frozenset[str]:
    return frozenset(path for path, methods in endpoints(app) if "GET" in methods)


def nav_for(app: FastAPI, role: str | None) -> list[tuple[str, str]]:
    if role is None:
        return []
    paths = page_paths(app)
    return [(label, path) for label, path in NAV.get(role, []) if path in paths]


def home_for(app: FastAPI, role: str) -> str | None:
    """The first page of the role's bar, or None when none of its pages exist (the home page lists them)."""
    links = nav_for(app, role)
    return links[0][1] if links else None
