"""Builds invented LinkedIn data exports in a temporary folder, one per layout era, and hostile archives.

Every name, URL and message here is invented. The same people and conversations are written in each era's
layout (columns, quoting, preamble, folder), so one truth table holds for all of them: see `EXPECTED`.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
ERAS = ("2021", "2022", "2023", "2024", "2026", "nested", "no_final_newline")
OWNER = "Morgan Ashdown"
OWNER_URL = "https://www.linkedin.com/in/morgan-ashdown-0a1b2c"
PRIYA_URL = "https://www.linkedin.com/in/priya-ostrander-11"
DANA_URL = "https://www.linkedin.com/in/dana-kettleby-22"
TOMASZ_URL = "https://www.linkedin.com/in/tomasz-wielgosz-33"

#: What every era must parse to. Approaches: three conversations not started by the owner, one invitation note.
EXPECTED = {"conversations": 4, "invitations": 3, "connections": 4, "approaches": 4}

MESSAGE_COLUMNS = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
    "DATE", "SUBJECT", "CONTENT", "FOLDER",
]  # fmt: skip
DRAFT_COLUMNS = ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
INMAIL_HTML = (
    '<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%,</p>'
    "<p>Join our free webinar on data governance &amp; public policy next week.</p>"
)
DANA_HTML = (
    "Hi Morgan,<br>Are you coming to the <b>evidence-based policy</b> conference on 3 May? "
    'It&#39;s listed on <a href="https://example.org/conference">our events page</a>.'
)


def message(conv: str, sender: str, url: str, to: str, to_urls: str, date: str, content: str, **more: str) -> dict:
    return {
        "CONVERSATION ID": conv, "CONVERSATION TITLE": "", "FROM": sender, "SENDER PROFILE URL": url, "TO": to,
        "RECIPIENT PROFILE URLS": to_urls, "DATE": date, "SUBJECT": "", "CONTENT": content, "FOLDER": "INBOX",
        "ATTACHMENTS": "", "IS MESSAGE DRAFT": "No", "IS CONVERSATION DRAFT": "No", **more,
    }  # fmt: skip


def default_messages() -> list[dict]:
    """Four conversations, newest message first within each as LinkedIn writes them."""
    o, ou = OWNER, OWNER_URL
    return [
        message("2-Q09OVjE=", "Priya Ostrander", PRIYA_URL, o, ou, "2023-03-02 08:30:00 UTC",
                "Let's move this to WhatsApp, it is easier to share the details there."),
        message("2-Q09OVjE=", o, ou, "Priya Ostrander", PRIYA_URL, "2023-03-01 10:15:00 UTC",
                "Thanks Priya, what kind of reports do you mean?"),
        message("2-Q09OVjE=", "Priya Ostrander", PRIYA_URL, o, ou, "2023-03-01 09:00:00 UTC",
                "Hello Morgan, I lead research for a client who pays well for short reports.",
                SUBJECT="Consulting opportunity"),
        message("2-Q09OVjI=", "Tomasz Wielgosz", TOMASZ_URL, o, ou, "2023-04-02 12:00:00 UTC",
                "Sure, Thursday works for me."),
        message("2-Q09OVjI=", o, ou, "Tomasz Wielgosz", TOMASZ_URL, "2023-04-01 12:00:00 UTC",
                "Tomasz, shall we catch up about the seminar?"),
        message("2-Q09OVjM=", "LinkedIn Member", "", o, ou, "2023-05-01 14:02:11 UTC", INMAIL_HTML,
                SUBJECT="Webinar invitation", FOLDER=""),
        message("2-Q09OVjQ=", "Dana Kettleby", DANA_URL, o, ou, "2023/05/03 09:30:00 UTC", DANA_HTML),
    ]  # fmt: skip


def invitations(with_urls: bool, pm: str = " ") -> list[dict]:
    return [
        {"From": "Quentin Harrowgate", "To": OWNER, "Sent At": f"3/5/23, 4:07{pm}PM", "Direction": "INCOMING",
         "Message": "Hi Morgan, I advise a consultancy on parliamentary affairs and would value your views.",
         "inviterProfileUrl": "https://www.linkedin.com/in/quentin-harrowgate-44" if with_urls else "",
         "inviteeProfileUrl": OWNER_URL if with_urls else ""},
        {"From": "Ruth Pemberley", "To": OWNER, "Sent At": f"3/6/23, 9:12{pm}AM", "Direction": "INCOMING",
         "Message": "", "inviterProfileUrl": "", "inviteeProfileUrl": ""},
        {"From": OWNER, "To": "Sven Adeyemi", "Sent At": f"3/7/23, 11:40{pm}AM", "Direction": "OUTGOING",
         "Message": "Good to meet you at the panel, Sven.", "inviterProfileUrl": "", "inviteeProfileUrl": ""},
    ]  # fmt: skip


def connections() -> list[dict]:
    def person(first: str, last: str, url: str, company: str, position: str, on: str) -> dict:
        return {"First Name": first, "Last Name": last, "URL": url, "Email Address": "", "Company": company,
                "Position": position, "Connected On": on}  # fmt: skip

    return [
        person("Priya", "Ostrander", PRIYA_URL, "Northgate Analytics", "Talent Partner", "12 Feb 2023"),
        person("Tomasz", "Wielgosz", TOMASZ_URL, "University of Elmsford", "Lecturer", "07 Jun 2022"),
        person("Dana", "Kettleby", DANA_URL, "Civic Data Forum", "Events Lead", "01 Mar 2021"),
        person("Oluwaseun", "Brightwater", "", "Harbour Press", "Editor", "15 Sep 2020"),
        person("", "", "", "", "", "20 Oct 2022"),  # a hidden profile: only the date
    ]


CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will '
    "only see email addresses for connections who have allowed their connections to see or download their email "
    'address using this setting https://www.linkedin.com/psettings/privacy/email."\n'
    "\n"
)

OWNER_FILES = {
    "Profile.csv": (
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
         "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
        [{"First Name": "Morgan", "Last Name": "Ashdown", "Headline": "Senior Policy Analyst at Westbridge Institute",
          "Summary": "Public policy, data and evidence.", "Geo Location": "Leeds, England, United Kingdom",
          "Websites": "[PERSONAL:https://example.org/morgan]"}],
    ),
    "Positions.csv": (
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [{"Company Name": "Westbridge Institute", "Title": "Senior Policy Analyst", "Started On": "Aug 2021"},
         {"Company Name": "Civic Data Forum", "Title": "Analyst", "Started On": "Sep 2018", "Finished On": "Jul 2021"}],
    ),
    "Education.csv": (
        ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"],
        [{"School Name": "University of Elmsford", "Start Date": "2014", "End Date": "2017", "Degree Name": "BA"}],
    ),
    "Skills.csv": (["Name"], [{"Name": "Policy Analysis"}, {"Name": "Statistics"}, {"Name": "Stakeholder Engagement"}]),
    "Certifications.csv": (
        ["Name", "Url", "Authority", "Started On", "Finished On", "License Number"],
        [{"Name": "Data Protection Practitioner", "Authority": "Invented Board", "Started On": "Jan 2022"}],
    ),
    "Projects.csv": (
        ["Title", "Description", "Url", "Started On", "Finished On"],
        [{"Title": "Open Budget Tracker", "Description": "A public dashboard of council spending."}],
    ),
}  # fmt: skip


def csv_bytes(header: list[str], rows: Iterable[Mapping[str, str]], *, quote_all: bool = False,
              final_newline: bool = True, preamble: str = "") -> bytes:  # fmt: skip
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    text = preamble + buf.getvalue()
    return (text if final_newline else text.rstrip("\n")).encode("utf-8")


def write_zip(path: Path, files: Mapping[str, bytes]) -> Path:
    """A deterministic zip: fixed timestamps and permissions, members in the order given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return path


def era_files(era: str, messages: list[dict] | None = None) -> dict[str, bytes]:
    """The CSVs of one export era, by member name."""
    year = {"nested": "2023", "no_final_newline": "2024"}.get(era, era)
    quote_all, final_newline = year == "2026", era != "no_final_newline"
    msgs = default_messages() if messages is None else messages
    msg_cols = MESSAGE_COLUMNS + (DRAFT_COLUMNS if year >= "2024" else [])
    if year >= "2024":  # an unsent draft in the owner's conversation: a row, but never part of a thread
        msgs = [*msgs, message("2-Q09OVjI=", OWNER, OWNER_URL, "Tomasz Wielgosz", TOMASZ_URL,
                               "2023-04-03 08:00:00 UTC", "Draft reply", **{"IS MESSAGE DRAFT": "Yes"})]  # fmt: skip
    if year == "2026":  # columns reordered: the reader must go by name, never by position
        msg_cols = msg_cols[::-1]
    conn_cols = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    if year < "2023":
        conn_cols.remove("URL")
    inv_cols = ["From", "To", "Sent At", "Message", "Direction"]
    if year >= "2023":
        inv_cols += ["inviterProfileUrl", "inviteeProfileUrl"]
    opts = {"quote_all": quote_all, "final_newline": final_newline}
    files = {
        "Connections.csv": csv_bytes(
            conn_cols, connections(), preamble="" if year == "2021" else CONNECTIONS_PREAMBLE, **opts
        ),
        "messages.csv": csv_bytes(msg_cols, msgs, **opts),
        "Invitations.csv": csv_bytes(
            inv_cols, invitations(year >= "2023", "\u202f" if year == "2026" else " "), **opts
        ),
    }
    files.update({name: csv_bytes(h, rows, **opts) for name, (h, rows) in OWNER_FILES.items()})
    if era == "nested":
        files = {f"Basic_LinkedInDataExport_05-01-2023/{name}": data for name, data in files.items()}
    return files


def build_archive(directory: Path, era: str = "2023", *, messages: list[dict] | None = None,
                  extra: Mapping[str, bytes] | None = None) -> Path:  # fmt: skip
    files = era_files(era, messages)
    files.update(extra or {})
    return write_zip(directory / f"Basic_LinkedInDataExport_{era}.zip", files)


def zeros_deflate(inflated: int, segment: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of about `inflated` zero bytes, made in milliseconds.

    Each 1 MiB segment is compressed once and ended with a full flush, which makes it self-contained, so the
    same bytes can be repeated; a final empty block closes the stream. Returns the stream and its inflated size.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    seg = comp.compress(bytes(segment)) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(bytes(segment)) + comp.flush(zlib.Z_FULL_FLUSH)
    assert seg == again or len(again) <= len(seg)
    count = max(1, inflated // segment)
    return seg + again * (count - 1) + comp.flush(zlib.Z_FINISH), count * segment


def zip_bomb(path: Path, inflated: int = 4_000_000_000, *, declared: int | None = None,
             name: str = "messages.csv") -> Path:  # fmt: skip
    """A one-member zip whose member inflates to `inflated` zeros; the header may declare another size.

    Written by hand (zipfile cannot store pre-compressed data). The CRC is left wrong: a reader that inflates the
    whole member before checking anything has already lost.
    """
    data, real = zeros_deflate(inflated)
    size = real if declared is None else declared
    raw = name.encode()
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 0x5C21, 0, len(data), size, len(raw), 0)
    central = struct.pack(
        "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, 0x5C21, 0, len(data), size, len(raw), 0, 0, 0, 0,
        0o644 << 16, 0,
    )  # fmt: skip
    cd_offset = len(local) + len(raw) + len(data)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(raw), cd_offset, 0)
    path.write_bytes(local + raw + data + central + raw + end)
    return path
