"""The devices page (analysts and admins): devices from imported device audits by site, with counts, a removal
deadline per site, the evidence for each device, its status (found, scheduled, removed, exempted with a reason)
and history, and a form to import an audit's JSONL or JSON, an asset register (.csv, .xlsx) or an nmap XML scan.

Uploaded files are read in a child process with CPU and memory limits (ingest/isolated.py) within the per-person
upload limits, like a reporter's PDF. Decision 0065.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counterpitch.ingest import isolated
from counterpitch.store import upload_limits
from counterpitch.store.accounts import Actor
from counterpitch.store.devices import PAGE, DeviceError, DeviceFilter, ImportResult
from counterpitch.store.tables import DEVICE_STATUSES
from counterpitch.web.auth import require_page, service, settings, verify_csrf
from counterpitch.web.params import Flag, PageNo, QueryId, RowId
from counterpitch.web.templating import render

router = APIRouter(include_in_schema=False)
Analyst = Annotated[Actor, Depends(require_page("analyst", "admin"))]
MAX_SITE = 200
MAX_REASON = 2_000
STATUS_LABELS = {"found": "found", "scheduled": "removal scheduled", "removed": "removed", "exempted": "exempted"}


def _page(
    request: Request,
    actor: Actor,
    f: DeviceFilter,
    *,
    imported: ImportResult | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    svc = service(request)
    rows, total = svc.list_devices(actor, f)
    context = {
        "sites": svc.device_sites(actor),
        "rows": rows,
        "total": total,
        "pages": max(1, -(-total // PAGE)),
        "f": f,
        "statuses": DEVICE_STATUSES,
        "status_labels": STATUS_LABELS,
        "imported": imported,
        "errors": errors or [],
        "today": datetime.now(UTC).date(),
        "max_upload_mb": settings(request).max_upload_bytes // 1_000_000,
    }
    return render(request, "devices.html.j2", context, status=status)


@router.get("/devices")
def devices_page(
    request: Request,
    actor: Analyst,
    site: QueryId = None,
    status: Annotated[str, Query(max_length=16)] = "",
    all: Flag = 0,
    page: PageNo = 1,
) -> Response:
    f = DeviceFilter(
        site_id=site, status=status if status in DEVICE_STATUSES else None, covered_only=not all, page=page
    )
    return _page(request, actor, f)


@router.post("/devices/import", dependencies=[Depends(verify_csrf)])
async def import_file(
    request: Request,
    actor: Analyst,
    file: Annotated[UploadFile | None, File()] = None,
    site: Annotated[str, Form(max_length=MAX_SITE)] = "",
) -> Response:
    f = DeviceFilter()
    if file is None or not file.filename:
        return await run_in_threadpool(_page, request, actor, f, errors=["file: choose a file to import"], status=422)
    data = await file.read()
    name = "".join(c for c in file.filename.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())[:120]
    s = settings(request)
    slot = await run_in_threadpool(
        service(request).begin_upload,
        actor,
        upload_limits.Limits(concurrent=s.uploads_concurrent, per_hour=s.uploads_per_hour),
    )
    if slot.refused_by is not None:
        why = f"uploads: too many of your files are being read now or this hour; try again in {slot.retry_after} s"
        response = await run_in_threadpool(_page, request, actor, f, errors=[why], status=429)
        response.headers["Retry-After"] = str(slot.retry_after)
        return response
    try:
        limits = isolated.Limits(
            cpu_seconds=s.upload_cpu_seconds, memory_mb=s.upload_memory_mb, workers=s.upload_workers
        )
        read = await run_in_threadpool(isolated.read_devices, data, name or "upload", site, limits)
    except isolated.ReadError as exc:
        return await run_in_threadpool(_page, request, actor, f, errors=[str(exc)], status=422)
    finally:
        await run_in_threadpool(service(request).finish_upload, slot)
    if not read.records:
        errors = list(read.errors) or [f"file: {name}: no devices in it"]
        return await run_in_threadpool(_page, request, actor, f, errors=errors, status=422)
    result = await run_in_threadpool(service(request).import_devices, actor, read.records, f"upload {name}")
    return await run_in_threadpool(_page, request, actor, f, imported=result, errors=list(read.errors))


@router.post("/devices/{device_id}/status", dependencies=[Depends(verify_csrf)])
def set_status(
    request: Request,
    device_id: RowId,
    actor: Analyst,
    status: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
) -> Response:
    try:
        found = service(request).set_device_status(actor, device_id, status, reason)
    except DeviceError as exc:
        return _page(request, actor, DeviceFilter(), errors=[str(exc)], status=422)
    if not found:
        raise HTTPException(404, "No such device.")
    return RedirectResponse(f"/devices#device-{device_id}", status_code=303)


@router.post("/devices/sites/{site_id}/deadline", dependencies=[Depends(verify_csrf)])
def set_deadline(
    request: Request,
    site_id: RowId,
    actor: Analyst,
    deadline: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    try:
        when = date.fromisoformat(deadline) if deadline.strip() else None
    except ValueError:
        return _page(request, actor, DeviceFilter(), errors=["deadline: a date, as 2027-03-31"], status=422)
    if not service(request).set_site_deadline(actor, site_id, when):
        raise HTTPException(404, "No such site.")
    return RedirectResponse(f"/devices#site-{site_id}", status_code=303)
