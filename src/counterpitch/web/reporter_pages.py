"""Reporter pages: report an approach (typed in, or a saved profile PDF, or an .eml), its verdict at once, and
the reporter's own reports.

The form takes the message as received, an account of what happened in the reporter's own words (the
Approach's `account`, read as evidence of what the sender did: docs/decisions/0043), or both.

A report made here takes the same path as POST /api/v1/reports (`Service.submit_report`), so it is linked into
campaigns and alerts run. Uploaded files are read by the command-line readers (ingest/profile_pdf.py,
ingest/mail.py) in a child process stopped at CPU-time and memory limits (ingest/isolated.py), within per-person
limits on uploads at once and an hour (store/upload_limits.py); what the readers could not read is kept with the
report and shown with its verdict. The request as a whole is capped by the upload limit in security.py.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counterpitch.ingest import isolated
from counterpitch.ingest.mail import MailMessage
from counterpitch.ingest.pasted import read_approach
from counterpitch.model import Approach, PersonProfile
from counterpitch.store import upload_limits
from counterpitch.store.accounts import Actor
from counterpitch.store.reports import ReportFilter
from counterpitch.web.auth import page_actor, service, settings, verify_csrf
from counterpitch.web.errors import field_errors
from counterpitch.web.params import Flag, PageNo, RowId
from counterpitch.web.photos import PhotoRefused
from counterpitch.web.templating import render
from counterpitch.web.verdict import verdict_context

router = APIRouter(include_in_schema=False)
Anyone = Annotated[Actor, Depends(page_actor)]
CHANNELS = ("linkedin_message", "linkedin_invitation", "linkedin_inmail", "email", "phone", "in_person", "other")
MAX_FIELD = 500
MAX_MESSAGE = 100_000
PAGE = 50
SENDER_FIELDS = ("name", "headline", "company", "profile_url", "email")


@router.get("/report")
def report_form(request: Request, actor: Anyone) -> Response:
    return _form(request, {}, [])


def _form(request: Request, values: dict[str, str], errors: list[str], status: int = 200) -> Response:
    context = {"values": values, "errors": errors, "channels": CHANNELS, "max_message": MAX_MESSAGE}
    return render(request, "report_form.html.j2", context, status=status)


@dataclass(frozen=True)
class Upload:
    """One chosen file: the name the browser gave it (for messages only) and its bytes."""

    name: str
    data: bytes


@router.post("/report", dependencies=[Depends(verify_csrf)])
async def submit(
    request: Request,
    actor: Anyone,
    text: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
    account: Annotated[str, Form(max_length=MAX_MESSAGE)] = "",
    subject: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    channel: Annotated[str, Form(max_length=40)] = "linkedin_message",
    sender_name: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    sender_headline: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    sender_company: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    sender_profile_url: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    sender_email: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    profile_pdf: Annotated[UploadFile | None, File()] = None,
    eml: Annotated[UploadFile | None, File()] = None,
    sender_photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {"text": text, "account": account, "subject": subject, "channel": channel}
    given = (sender_name, sender_headline, sender_company, sender_profile_url, sender_email)
    values |= {f"sender_{k}": v for k, v in zip(SENDER_FIELDS, given, strict=True)}
    pdf = await _read(profile_pdf, "profile.pdf")
    mail = await _read(eml, "message.eml")
    photo = await _read(sender_photo, "photo")
    slot = None
    if pdf is not None or mail is not None:
        slot = await run_in_threadpool(service(request).begin_upload, actor, _upload_limits(request))
        if slot.refused_by is not None:
            return _busy(request, values, slot)
    try:
        limits = _reader_limits(request)
        built = await run_in_threadpool(_build, values, pdf, mail, actor.details.recipient(), limits, actor.name)
    except ValueError as exc:
        return _form(request, values, [str(exc)], status=422)
    finally:
        if slot is not None:
            await run_in_threadpool(service(request).finish_upload, slot)
    approach, message, warnings = built
    if photo is not None:  # read with the report, by the photo check's safe loader (web/photos.py)
        approach = with_photo(approach, photo.data)
    submit = partial(
        service(request).submit_report,
        actor,
        approach,
        mail=message,
        warnings=warnings,
        photo_name=photo.name if photo is not None else None,
    )
    try:
        report_id, _ = await run_in_threadpool(submit)
    except PhotoRefused as exc:
        return _form(request, values, [str(exc)], status=422)
    return RedirectResponse(f"/my-reports/{report_id}?new=1", status_code=303)


async def _read(upload: UploadFile | None, default_name: str) -> Upload | None:
    """The uploaded file, or None when no file was chosen (browsers send an empty part)."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read()
    name = "".join(c for c in upload.filename.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())[:120]
    return Upload(name or default_name, data) if data else None


def with_photo(approach: Approach, data: bytes) -> Approach:
    """The approach with the uploaded photo as its sender's `photo`, a data: URI (what the API takes too)."""
    uri = "data:image/upload;base64," + base64.b64encode(data).decode("ascii")
    sender = approach.sender or PersonProfile()
    return approach.model_copy(update={"sender": sender.model_copy(update={"photo": uri})})


def _upload_limits(request: Request) -> upload_limits.Limits:
    s = settings(request)
    return upload_limits.Limits(concurrent=s.uploads_concurrent, per_hour=s.uploads_per_hour)


def _reader_limits(request: Request) -> isolated.Limits:
    s = settings(request)
    return isolated.Limits(cpu_seconds=s.upload_cpu_seconds, memory_mb=s.upload_memory_mb, workers=s.upload_workers)


def _busy(request: Request, values: dict[str, str], slot: upload_limits.Slot) -> Response:
    """429 with Retry-After: too many files being read for this person now, or this hour."""
    if slot.refused_by == "per_hour":
        why = f"you have uploaded {settings(request).uploads_per_hour} files in the last hour, the limit"
    else:
        why = f"{settings(request).uploads_concurrent} of your uploads are being read now, the limit"
    minutes = f"{slot.retry_after} seconds" if slot.retry_after < 120 else f"{slot.retry_after // 60} minutes"
    response = _form(request, values, [f"uploads: {why}; try again in {minutes}"], status=429)
    response.headers["Retry-After"] = str(slot.retry_after)
    return response


def _build(
    values: dict[str, str],
    pdf: Upload | None,
    mail: Upload | None,
    reporter: PersonProfile | None = None,
    limits: isolated.Limits | None = None,
    reporter_name: str | None = None,
) -> tuple[Approach, MailMessage | None, tuple[str, ...]]:
    """One Approach from the form, the e-mail and the profile: typed fields win over what the files say.
    The message was sent to the reporter: their role (`reporter`, from their account) is laid over the
    e-mail's To: (name and address), or is the recipient when there is no e-mail.
    The parsed e-mail comes back too, so its attachments and links are assessed with it, and the readers'
    warnings, each naming its file. A file refused or stopped at a limit is a ValueError naming it.
    A pasted message that is a whole LinkedIn conversation becomes a thread (ingest/pasted.py): the turns of
    anyone but the reporter (`reporter_name`, the account's name, when a speaker has it) are the sender's."""
    limits = limits or isolated.Limits()
    base: dict[str, Any] = {}
    message = None
    warnings: list[str] = []
    if mail is not None:
        message = isolated.read_mail(mail.data, mail.name, limits)
        warnings += [f"{mail.name}: {w}" for w in message.warnings]
        base = message.approach.to_json_dict()
    sender: dict[str, Any] = dict(base.get("sender") or {})
    whole = False
    if pdf is not None:
        read = isolated.read_pdf(pdf.data, pdf.name, limits)
        warnings += [f"{pdf.name}: {w}" for w in read.warnings]
        sender |= read.profile.to_json_dict()
        whole = read.profile.captured_whole
    sender |= {k: values[f"sender_{k}"].strip() for k in SENDER_FIELDS if values.get(f"sender_{k}", "").strip()}
    doc: dict[str, Any] = {**base, "id": base.get("id") or f"web-{os.urandom(6).hex()}"}
    if values.get("text", "").strip():
        doc["text"] = values["text"]
    if values.get("account", "").strip():
        doc["account"] = values["account"]  # told only: Approach makes `text` empty (decision 0043)
    if values.get("subject", "").strip():
        doc["subject"] = values["subject"].strip()
    if values.get("channel") in CHANNELS and not (mail is not None and values.get("channel") == "linkedin_message"):
        doc["channel"] = values["channel"]
    if sender:
        doc["sender"] = sender
    if reporter is not None:
        doc["recipient"] = dict(base.get("recipient") or {}) | reporter.to_json_dict()
    if not str(doc.get("text") or "").strip() and "account" not in doc:
        raise ValueError("text: paste the message you received, describe what happened, or both (or upload the e-mail)")
    try:
        approach = Approach.model_validate(doc)
    except ValidationError as exc:
        first = field_errors(exc.errors())[0]
        raise ValueError(f"{first['field']}: {first['message']}") from None
    if values.get("text", "").strip():
        approach = read_approach(approach, reporter_name)
    # The PDF's lists are still the sender's whole history: typed fields and the e-mail change none of them.
    return (approach.with_sender_read_whole() if whole else approach), message, tuple(warnings)


@router.get("/my-reports")
def my_reports(request: Request, actor: Anyone, page: PageNo = 1) -> Response:
    page = max(1, min(page, 10_000))
    rows = service(request).list_reports(actor, _mine(actor, page))
    context = {"rows": rows[:PAGE], "page": page, "more": len(rows) > PAGE}
    return render(request, "my_reports.html.j2", context)


def _mine(actor: Actor, page: int) -> ReportFilter:
    """Everyone's own reports: the service shows reporters only theirs; analysts see theirs here too."""
    return ReportFilter(limit=PAGE + 1, offset=(page - 1) * PAGE, reporter_id=actor.id)


@router.get("/reports/{report_id}/photo")
def report_photo(request: Request, report_id: RowId, actor: Anyone) -> Response:
    """The thumbnail of a report's sender photo (web/photos.py), as its own PNG response with the service's
    headers, to those who may see the report: analysts and admins, and its reporter (404 to anyone else)."""
    found = service(request).report_photo(actor, report_id)
    if found is None:
        raise HTTPException(404, "No such photo.")
    data, media_type = found
    return Response(data, media_type=media_type, headers={"Content-Disposition": "inline; filename=photo.png"})


@router.get("/my-reports/{report_id}")
def my_report(request: Request, report_id: RowId, actor: Anyone, new: Flag = 0) -> Response:
    view = service(request).get_report(actor, report_id)
    if view is None or view.summary.reporter_id != actor.id:
        raise HTTPException(404, "No such report.")
    return render(request, "verdict.html.j2", {"ctx": verdict_context(view), "new": bool(new)})
