"""Reporter pages: report an approach (typed in, or a saved profile PDF, or an .eml), its verdict at once, and
the reporter's own reports.

The form takes the message as received, an account of what happened in the reporter's own words (the
Approach's `account`, read as evidence of what the sender did: docs/decisions/0043), or both.

A report made here takes the same path as POST /api/v1/reports (`Service.submit_report`), so it is linked into
campaigns and alerts run. Uploaded files are read by the command-line readers (ingest/profile_pdf.py,
ingest/mail.py) with their own limits; the request as a whole is capped by the upload limit in security.py.
"""

from __future__ import annotations

import os
import tempfile
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counterpitch.ingest.mail import MailError, MailMessage, parse_message
from counterpitch.ingest.profile_pdf import ProfilePdfError, read_profile_pdf
from counterpitch.model import Approach, PersonProfile
from counterpitch.store.accounts import Actor
from counterpitch.store.reports import ReportFilter
from counterpitch.web.auth import page_actor, service, verify_csrf
from counterpitch.web.errors import field_errors
from counterpitch.web.params import Flag, PageNo, RowId
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
) -> Response:
    values = {"text": text, "account": account, "subject": subject, "channel": channel}
    given = (sender_name, sender_headline, sender_company, sender_profile_url, sender_email)
    values |= {f"sender_{k}": v for k, v in zip(SENDER_FIELDS, given, strict=True)}
    pdf = await _read(profile_pdf)
    mail = await _read(eml)
    try:
        approach, message = await run_in_threadpool(_build, values, pdf, mail, actor.details.recipient())
    except ValueError as exc:
        return _form(request, values, [str(exc)], status=422)
    submit = partial(service(request).submit_report, actor, approach, mail=message)
    report_id, _ = await run_in_threadpool(submit)
    return RedirectResponse(f"/my-reports/{report_id}?new=1", status_code=303)


async def _read(upload: UploadFile | None) -> bytes | None:
    """The uploaded bytes, or None when no file was chosen (browsers send an empty part)."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read()
    return data or None


def _build(
    values: dict[str, str], pdf: bytes | None, mail: bytes | None, reporter: PersonProfile | None = None
) -> tuple[Approach, MailMessage | None]:
    """One Approach from the form, the e-mail and the profile: typed fields win over what the files say.
    The message was sent to the reporter: their role (`reporter`, from their account) is laid over the
    e-mail's To: (name and address), or is the recipient when there is no e-mail.
    The parsed e-mail comes back too, so its attachments and links are assessed with it."""
    base: dict[str, Any] = {}
    message = None
    if mail is not None:
        try:
            message = parse_message(mail, "e-mail file")
        except MailError as exc:
            raise ValueError(f"eml: {exc.message}") from None
        base = message.approach.to_json_dict()
    sender: dict[str, Any] = dict(base.get("sender") or {})
    whole = False
    if pdf is not None:
        saved = _profile_from_pdf(pdf)
        sender |= saved.to_json_dict()
        whole = saved.captured_whole
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
    # The PDF's lists are still the sender's whole history: typed fields and the e-mail change none of them.
    return (approach.with_sender_read_whole() if whole else approach), message


def _profile_from_pdf(data: bytes) -> PersonProfile:
    """ingest/profile_pdf.py reads a path: the upload goes to a private temporary file, removed at once."""
    fd, path = tempfile.mkstemp(suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        profile, _warnings = read_profile_pdf(path)
    except ProfilePdfError as exc:
        raise ValueError(f"profile_pdf: {exc.message}") from None
    finally:
        os.unlink(path)
    return profile


@router.get("/my-reports")
def my_reports(request: Request, actor: Anyone, page: PageNo = 1) -> Response:
    page = max(1, min(page, 10_000))
    rows = service(request).list_reports(actor, _mine(actor, page))
    context = {"rows": rows[:PAGE], "page": page, "more": len(rows) > PAGE}
    return render(request, "my_reports.html.j2", context)


def _mine(actor: Actor, page: int) -> ReportFilter:
    """Everyone's own reports: the service shows reporters only theirs; analysts see theirs here too."""
    return ReportFilter(limit=PAGE + 1, offset=(page - 1) * PAGE, reporter_id=actor.id)


@router.get("/my-reports/{report_id}")
def my_report(request: Request, report_id: RowId, actor: Anyone, new: Flag = 0) -> Response:
    view = service(request).get_report(actor, report_id)
    if view is None or view.summary.reporter_id != actor.id:
        raise HTTPException(404, "No such report.")
    return render(request, "verdict.html.j2", {"ctx": verdict_context(view), "new": bool(new)})
