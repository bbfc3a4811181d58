"""What an e-mail attachment really is, from its first bytes and its name, without opening or running it.

The declared content type is the sender's claim and is kept only for the record: the kind comes from magic
bytes first (an `MZ` file called "CV.pdf" is an executable), then from the name. Zip files are read only as far
as their central directory (member names and flags); nothing is extracted or decompressed. These extension
lists are file-format facts, not tunable lexicons, which is why they live here and not under `data/`.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Literal

AttachmentKind = Literal["executable", "macro_document", "archive", "pdf", "other"]

#: Files that run when opened or installed (Operation Dream Job sent installers and trojanised PDF readers).
EXECUTABLE_EXTENSIONS = frozenset(
    ".exe .scr .msi .bat .cmd .com .pif .cpl .ps1 .vbs .vbe .js .jse .wsf .lnk .hta .jar .apk .dmg .iso .img "
    ".msix .appx .app .pkg .deb .rpm .sh .elf".split()
)
#: Office formats whose name says they carry macros (Tortoiseshell sent malicious Excel files).
MACRO_EXTENSIONS = frozenset(".docm .dotm .xlsm .xltm .xlam .pptm .potm .ppsm .ppam .sldm".split())
ARCHIVE_EXTENSIONS = frozenset(".zip .rar .7z .gz .tgz .tar .bz2 .xz .cab .arj .lz .zst".split())
#: Extensions a victim expects from a recruiter; one of these before an executable extension is a disguise.
DOCUMENT_EXTENSIONS = frozenset(
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .rtf .txt .odt .jpg .jpeg .png .gif .zip .csv .html .htm".split()
)
#: Magic numbers of executables: Windows PE, ELF, Mach-O (both byte orders, 32/64 bit, universal).
EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"MSCF")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream every VBA project in an OLE (pre-2007) Office file carries, as its UTF-16 directory name.
OLE_VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")
#: At most this many zip member names are kept as evidence.
MAX_MEMBERS_KEPT = 50
#: Characters that reorder or hide parts of a file name ("CV\u202efdp.exe" shows as "CVexe.pdf").
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Attachment:
    """One attached file as seen, never as opened. `kind` is what it is; `content_type` what it claimed."""

    filename: str
    content_type: str
    size: int
    sha256: str
    kind: AttachmentKind
    #: The name hides its real type: a document extension before an executable one ("CV.pdf.exe"), a
    #: right-to-left override, or a run of spaces pushing the real extension out of view.
    deceptive_name: bool = False
    #: A zip whose entries are encrypted (password-protected): mail filters cannot scan inside.
    encrypted: bool = False
    #: Member names of a zip, as its directory lists them (first `MAX_MEMBERS_KEPT`).
    members: tuple[str, ...] = ()


def extension(name: str) -> str:
    """The last extension, lower-cased, with bidi controls and trailing dots/spaces removed."""
    clean = "".join(c for c in name if c not in BIDI_CONTROLS).rstrip(". ").lower()
    dot = clean.rfind(".")
    return clean[dot:] if dot > 0 else ""


def is_deceptive_name(name: str) -> bool:
    if any(c in BIDI_CONTROLS for c in name):
        return True
    ext = extension(name)
    if ext not in EXECUTABLE_EXTENSIONS | MACRO_EXTENSIONS:
        return False
    stem = name.rstrip(". ")[: -len(ext)]
    return extension(stem.rstrip()) in DOCUMENT_EXTENSIONS or "     " in stem


def classify(filename: str, content_type: str, data: bytes) -> tuple[Attachment, list[str]]:
    """The attachment record and any warnings (an unreadable zip directory, say)."""
    notes: list[str] = []
    ext = extension(filename)
    head = data[:8]
    members: tuple[str, ...] = ()
    encrypted = False
    vba = False
    kind: AttachmentKind = "other"
    if head.startswith(ARCHIVE_MAGIC[:2]) or ext in {".zip", ".jar", ".apk"} | MACRO_EXTENSIONS:
        names, encrypted, ok = _zip_directory(data)
        if not ok and head.startswith(ARCHIVE_MAGIC[:2]):
            notes.append(f"attachment {filename!r}: zip directory unreadable")
        members = tuple(names[:MAX_MEMBERS_KEPT])
        vba = any(n.lower().endswith("vbaproject.bin") for n in names)
        is_ooxml = "[Content_Types].xml" in names
    else:
        is_ooxml = False
    if head.startswith(EXECUTABLE_MAGIC) or ext in EXECUTABLE_EXTENSIONS:
        kind = "executable"
    elif vba or ext in MACRO_EXTENSIONS or (head.startswith(OLE_MAGIC) and OLE_VBA_STREAM in data):
        kind = "macro_document"
    elif data[:1024].find(b"%PDF-") >= 0 or ext == ".pdf":
        kind = "pdf"
    elif is_ooxml:
        kind = "other"  # an ordinary .docx/.xlsx/.pptx without a VBA project
    elif head.startswith(ARCHIVE_MAGIC) or ext in ARCHIVE_EXTENSIONS:
        kind = "archive"
    attachment = Attachment(
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        deceptive_name=is_deceptive_name(filename),
        encrypted=encrypted,
        members=members,
    )
    return attachment, notes


def _zip_directory(data: bytes) -> tuple[list[str], bool, bool]:
    """Member names, whether any member is encrypted, and whether the directory could be read at all.

    Only the central directory is parsed; no member is decompressed, so a zip bomb costs nothing here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:  # a hostile zip can raise almost anything from the struct layer; it is just "unreadable"
        return [], False, False
    names = [unicodedata.normalize("NFC", i.filename) for i in infos]
    return names, any(i.flag_bits & 0x1 for i in infos), True
