"""The sharing page: what this service serves over TAXII 2.1 (web/taxii.py) and to whom, each collection's
contents, and, for admins, publishing the live campaigns now at a TLP (the same export as `counterpitch share
export --publish`: personas and indicators, never staff). Analysts see it; admins publish.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from counterpitch.store import audit, taxii
from counterpitch.store.accounts import Actor
from counterpitch.web.auth import require_page, service, settings, verify_csrf
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Actor, Depends(require_page("analyst", "admin"))]
Admin = Annotated[Actor, Depends(require_page("admin"))]


def _page(request: Request, message: str | None = None, error: str | None = None) -> Response:
    with service(request).store.read() as session:
        collections = taxii.states(session)
    base = str(request.base_url).rstrip("/")
    context = {
        "collections": collections,
        "discovery": f"{base}/taxii2/",
        "api_root": f"{base}/taxii2/counterpitch/",
        "tlps": taxii.SHARED_TLPS,
        "message": message,
        "error": error,
    }
    return render(request, "sharing.html.j2", context, status=422 if error else 200)


@router.get("/sharing")
def sharing(request: Request, actor: Analyst) -> Response:
    published = request.query_params.get("published")
    return _page(request, message=f"Published: {published}." if published and len(published) < 300 else None)


@router.post("/sharing/publish", dependencies=[Depends(verify_csrf)])
def publish(request: Request, actor: Admin, tlp: Annotated[str, Form(max_length=20)]) -> Response:
    """The live campaigns exported as STIX 2.1 at `tlp` and published in that TLP's collections."""
    import json

    from counterpitch.share import stix
    from counterpitch.share.collect import StaffLeak
    from counterpitch.share.sources import from_store
    from counterpitch.share.vocab import tlp as tlp_level

    if tlp not in taxii.SHARED_TLPS:
        return _page(request, error=f"tlp: only {', '.join(t.upper() for t in taxii.SHARED_TLPS)} is served over TAXII")
    org = settings(request).org_name
    store = service(request).store
    try:
        with store.read() as session:
            share, guard = from_store(session, org)
        objects = json.loads(stix.serialise(share, tlp_level(tlp), guard))["objects"]
        with store.write() as session:
            added = taxii.publish(session, objects, tlp)
            audit.record(
                session,
                actor_id=actor.id,
                action="share.publish",
                object_type="share",
                object_id="taxii",
                detail={"tlp": tlp, "campaigns": len(share.campaigns), "objects": len(objects)},
            )
    except (StaffLeak, ValueError) as exc:
        return _page(request, error=str(exc))
    done = ", ".join(f"{alias} {len(r.added)} new" for alias, r in added.items())
    return RedirectResponse(f"/sharing?published={done}", status_code=303)
