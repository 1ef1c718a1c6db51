"""Evidence files attached to test runs: which files we keep, told by their content.

A file is accepted only when its first bytes match what its name says: a PDF starts with
``%PDF-``, a PNG with its signature, and so on; CSV and text must decode as UTF-8 (or
Windows-1252) and hold no NUL bytes. The type we serve it with later is the one we detected,
never the one the browser sent.
"""

import hashlib
from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# extension → (content type, test on the first bytes)
_SIGNATURES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "gif": ("image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
}
_TEXT = {"csv": "text/csv", "txt": "text/plain", "log": "text/plain"}
ALLOWED_EXTENSIONS = sorted([*_SIGNATURES, *_TEXT])


class AttachmentRefused(ValueError):
    """The file is not one we keep; the message says why, for the user."""


@dataclass(frozen=True)
class CheckedAttachment:
    name: str
    content_type: str
    size: int
    sha256: str


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_attachment(upload) -> CheckedAttachment:
    """Accept a PDF, image, CSV or text file up to 10 MB, or raise AttachmentRefused."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _SIGNATURES and extension not in _TEXT:
        raise AttachmentRefused(
            "Attach a PDF, an image (PNG, JPEG, GIF, WebP), a CSV or a text file."
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefused("The file is larger than 10 MB.")
    if upload.size == 0:
        raise AttachmentRefused("The file is empty.")
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if extension in _SIGNATURES:
        content_type, matches = _SIGNATURES[extension]
        if not matches(head):
            raise AttachmentRefused(f"The file is called .{extension} but is not one.")
    else:
        content_type = _TEXT[extension]
        data = b"".join(upload.chunks())
        upload.seek(0)
        if not _looks_like_text(data):
            raise AttachmentRefused(f"The file is called .{extension} but is not text.")
    return CheckedAttachment(
        name=name[:200], content_type=content_type, size=upload.size, sha256=digest.hexdigest()
    )
