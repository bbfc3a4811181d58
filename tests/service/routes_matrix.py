"""Who may call what: one row per route of the app, one expectation per role (see test_access.py).

Add a row when you add a route; test_access fails for a route without one. Expectations: an HTTP status, or
"signin" (303 to the sign-in page), or "ok" (200, or 303 somewhere other than sign-in).
Roles: anonymous, reporter, other (a second reporter), analyst, admin. In paths, {report_id} is a report of
"reporter" (so "other" must get 404), {user_id} a spare reporter account.
"""

from __future__ import annotations

from typing import Any

Expect = int | str
ANY_USER = {"anonymous": 401, "reporter": 200, "other": 200, "analyst": 200, "admin": 200}
TRIAGE_API = {"anonymous": 401, "reporter": 403, "other": 403, "analyst": 200, "admin": 200}
ADMIN_PAGE = {"anonymous": "signin", "reporter": 403, "other": 403, "analyst": 403, "admin": 200}
ADMIN_POST = {"anonymous": "signin", "reporter": 403, "other": 403, "analyst": 403, "admin": "ok"}
ALL = {r: 200 for r in ANY_USER}
ROLES_SIGNED_IN = ("reporter", "other", "analyst", "admin")
SIGNED_IN_PAGE = {"anonymous": "signin", "reporter": "ok", "other": "ok", "analyst": "ok", "admin": "ok"}
TRIAGE_PAGE = {"anonymous": "signin", "reporter": 403, "other": 403, "analyst": 200, "admin": 200}
TRIAGE_POST = {"anonymous": "signin", "reporter": 403, "other": 403, "analyst": "ok", "admin": "ok"}
#: Routes whose object the matrix world does not hold (MISSING_IDS): roles allowed in get 404, the rest no further.
TRIAGE_MISSING = {"anonymous": "signin", "reporter": 403, "other": 403, "analyst": 404, "admin": 404}
MISSING_IDS: dict[str, object] = {
    "campaign_id": 999_999,
    "alert_id": 999_999,
    "entry_id": "no-such-entry",
    "session_id": 999_999,
    "device_id": 999_999,
    "site_id": 999_999,
    "collection_id": "no-such-collection",
    "object_id": "indicator--00000000-0000-4000-8000-000000000000",
    "status_id": "no-such-status",
}
#: TAXII (Bearer, as the API): analysts and admins read; objects the world does not hold are 404 to them.
TRIAGE_API_MISSING = {"anonymous": 401, "reporter": 403, "other": 403, "analyst": 404, "admin": 404}
ADMIN_API_MISSING = {"anonymous": 401, "reporter": 403, "other": 403, "analyst": 403, "admin": 404}
TAXII = "/taxii2/counterpitch"

MATRIX: dict[tuple[str, str], dict[str, Expect]] = {
    # public by design: liveness, the API description, the sign-in form
    ("GET", "/api/v1/healthz"): ALL,
    ("GET", "/openapi.json"): ALL,
    ("GET", "/signin"): {"anonymous": 200, "reporter": "ok", "other": "ok", "analyst": "ok", "admin": "ok"},
    ("POST", "/signin"): {r: 401 for r in ANY_USER},  # a wrong password, whoever asks
    ("POST", "/signout"): {r: "signin" for r in ANY_USER},
    # API: bearer token only
    ("POST", "/api/v1/assess"): ANY_USER,
    ("POST", "/api/v1/reports"): {**ANY_USER, **{r: 201 for r in ("reporter", "other", "analyst", "admin")}},
    ("GET", "/api/v1/reports"): ANY_USER,
    ("GET", "/api/v1/reports/{report_id}"): {**ANY_USER, "other": 404},
    ("GET", "/api/v1/campaigns"): TRIAGE_API,
    # pages
    ("GET", "/"): SIGNED_IN_PAGE,
    ("GET", "/admin/users"): ADMIN_PAGE,
    ("POST", "/admin/users"): ADMIN_POST,
    ("POST", "/admin/users/{user_id}/deactivate"): ADMIN_POST,
    ("POST", "/admin/users/{user_id}/activate"): ADMIN_POST,
    ("POST", "/admin/users/{user_id}/details"): ADMIN_POST,
    ("POST", "/admin/users/{user_id}/role"): ADMIN_POST,
    ("GET", "/admin/audit"): ADMIN_PAGE,
    # one's own details (title, team, organisation): every signed-in user, for themselves only
    ("GET", "/account"): SIGNED_IN_PAGE,
    ("POST", "/account"): SIGNED_IN_PAGE,
    # one's own page sessions: ending a session that is not one's own (here: none) is 404 for everyone
    ("POST", "/account/sessions/{session_id}/end"): {"anonymous": "signin", **{r: 404 for r in ROLES_SIGNED_IN}},
    ("POST", "/account/sessions/end-others"): SIGNED_IN_PAGE,
    # reporter pages (any signed-in user reports; "my reports" are one's own: 404 for everyone else's)
    ("GET", "/report"): SIGNED_IN_PAGE,
    ("POST", "/report"): SIGNED_IN_PAGE,
    ("GET", "/my-reports"): SIGNED_IN_PAGE,
    ("GET", "/my-reports/{report_id}"): {
        "anonymous": "signin",
        "reporter": 200,
        "other": 404,
        "analyst": 404,
        "admin": 404,
    },
    # a report's photo: the matrix world's report has none (404 to all signed in); who sees one is
    # tests/service/test_report_photos.py's
    ("GET", "/reports/{report_id}/photo"): {"anonymous": "signin", **{r: 404 for r in ROLES_SIGNED_IN}},
    # analyst pages
    ("GET", "/queue"): TRIAGE_PAGE,
    ("GET", "/cases/{report_id}"): TRIAGE_PAGE,
    ("POST", "/cases/{report_id}/status"): TRIAGE_POST,
    ("POST", "/cases/{report_id}/notes"): TRIAGE_POST,
    ("POST", "/cases/{report_id}/watchlist"): TRIAGE_POST,
    ("GET", "/campaigns"): TRIAGE_PAGE,
    ("GET", "/campaigns/{campaign_id}"): TRIAGE_MISSING,
    ("GET", "/alerts"): TRIAGE_PAGE,
    ("GET", "/alerts/{alert_id}"): TRIAGE_MISSING,
    ("GET", "/watchlist"): TRIAGE_PAGE,
    ("POST", "/watchlist"): TRIAGE_POST,
    ("POST", "/watchlist/{entry_id}/deactivate"): TRIAGE_MISSING,
    ("POST", "/watchlist/{entry_id}/activate"): TRIAGE_MISSING,
    # devices: removal tracking (analysts and admins; reporters refused)
    ("GET", "/devices"): TRIAGE_PAGE,
    ("POST", "/devices/import"): TRIAGE_POST,
    ("POST", "/devices/{device_id}/status"): TRIAGE_MISSING,
    ("POST", "/devices/sites/{site_id}/deadline"): TRIAGE_MISSING,
    # sharing: analysts see the TAXII collections, admins publish
    ("GET", "/sharing"): TRIAGE_PAGE,
    ("POST", "/sharing/publish"): ADMIN_POST,
    # TAXII 2.1 (web/taxii.py): analysts and admins read; admins add to the shared-in collection
    ("GET", "/taxii2/"): TRIAGE_API,
    ("GET", f"{TAXII}/"): TRIAGE_API,
    ("GET", f"{TAXII}/collections/"): TRIAGE_API,
    ("GET", f"{TAXII}/collections/{{collection_id}}/"): TRIAGE_API_MISSING,
    ("GET", f"{TAXII}/collections/{{collection_id}}/manifest/"): TRIAGE_API_MISSING,
    ("GET", f"{TAXII}/collections/{{collection_id}}/objects/"): TRIAGE_API_MISSING,
    ("POST", f"{TAXII}/collections/{{collection_id}}/objects/"): ADMIN_API_MISSING,
    ("GET", f"{TAXII}/collections/{{collection_id}}/objects/{{object_id}}/"): TRIAGE_API_MISSING,
    ("GET", f"{TAXII}/collections/{{collection_id}}/objects/{{object_id}}/versions/"): TRIAGE_API_MISSING,
    ("GET", f"{TAXII}/status/{{status_id}}/"): TRIAGE_API_MISSING,
}

MATRIX_DEVICE = (
    b'{"asset": "CAM-M", "ip": "10.9.0.1", "mac": "44:19:B6:00:09:01", "vendor": "Hikvision", "brand": "", '
    b'"covered": true, "basis": ["us_covered_list", "uk_prc_nil"], "confidence": 0.9, "evidence": []}\n'
)
#: Bodies for routes that need one (page forms also get the caller's CSRF token).
APPROACH = {"id": "matrix-1", "text": "We pay for short notes on policy; keep it between us."}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/assess"): {"json": APPROACH},
    ("POST", "/api/v1/reports"): {"json": APPROACH},
    ("POST", "/signin"): {"data": {"name": "nobody-here", "password": "not-the-password"}},
    ("POST", "/admin/users"): {
        "data": {"name": "matrix-new-{role}", "role": "reporter", "password": "a-long-password"}
    },
    ("POST", "/report"): {"data": {"text": "We pay for short notes on policy; keep it between us."}},
    ("POST", "/account"): {"data": {"title": "Matrix title of {role}", "team": "Matrix team"}},
    ("POST", "/admin/users/{user_id}/details"): {"data": {"title": "Matrix title set by {role}"}},
    ("POST", "/admin/users/{user_id}/role"): {"data": {"role": "reporter"}},  # the spare account's own role
    ("POST", "/cases/{report_id}/status"): {"data": {"status": "triaged"}},
    ("POST", "/cases/{report_id}/notes"): {"data": {"text": "Matrix note by {role}."}},
    ("POST", "/watchlist"): {"data": {"name": "Matrix Persona {role}", "kind": "persona", "source": "access matrix"}},
    ("POST", "/devices/import"): {
        "data": {"site": "Matrix site {role}"},
        "files": {"file": ("matrix.jsonl", MATRIX_DEVICE, "application/x-ndjson")},
    },
    ("POST", "/devices/{device_id}/status"): {"data": {"status": "scheduled"}},
    ("POST", "/sharing/publish"): {"data": {"tlp": "green"}},
    ("POST", "/devices/sites/{site_id}/deadline"): {"data": {"deadline": "2027-03-31"}},
}
#: Routes that end or replace the caller's session get a fresh client.
FRESH_SESSION = {("POST", "/signout"), ("POST", "/signin")}
