"""Files kept inside the database on any record: evidence photos, certificates, reports.

A file is stored with its size and SHA-256 so a copy saved later can be checked. Files are
limited to MAX_ATTACHMENT_BYTES each: the database travels on laptops and into backups, and
a few phone videos would make both slow. Attachments are archived, never deleted, because
most are evidence the standard says to retain.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from qms_desktop import records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import Attachment, Record, is_live

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_MB = 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".gif", ".webp", ".bmp", ".tif", ".tiff")


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f}".removesuffix(".0")


def _too_big_message(file_name: str, size: int) -> str:
    limit = _megabytes(MAX_ATTACHMENT_BYTES)
    shown = f"{size / _MB:.1f} MB"
    if float(f"{size / _MB:.1f}") <= MAX_ATTACHMENT_BYTES / _MB:
        # Just over the limit would read "10.0 MB": give the exact bytes instead.
        shown = f"{size:,} bytes"
        limit = f"{limit} MB ({MAX_ATTACHMENT_BYTES:,} bytes)"
    else:
        limit = f"{limit} MB"
    what = "the photo's" if file_name.lower().endswith(IMAGE_SUFFIXES) else "the file's"
    return (f"{file_name} is {shown}; attachments can be at most {limit}. "
            f"Reduce {what} size or keep it outside and note where it is.")


@strict_arguments
def check_size(file_name: str, size: int) -> None:
    if size == 0:
        raise ValidationError({"file": f"{file_name} is empty; there is nothing to attach."})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _too_big_message(file_name, size)})


@strict_arguments
def attach(
    record: Record,
    file: str | Path | bytes,
    file_name: str | None = None,
    content_type: str | None = None,
) -> Attachment:
    """Store a file (a path, or the bytes themselves) on `record`."""
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
        if not (file_name or "").strip():
            raise ValidationError({"file_name": "Give the file a name."})
    else:
        path = Path(file)
        file_name = (file_name or "").strip() or path.name
        unreadable = ValidationError({"file": f"{str(path)[:200]} is not a file that can be "
                                               "read."})
        try:
            if not path.is_file():
                raise unreadable
            # Check the size before reading, so a huge file is never loaded into memory.
            check_size(file_name, path.stat().st_size)
            data = path.read_bytes()
        except OSError:  # a name too long, no permission, a file that vanished
            raise unreadable from None
    assert file_name is not None
    file_name = file_name.strip()
    check_size(file_name, len(data))
    if content_type is None:
        content_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return records.create(
        Attachment,
        table_name=record._meta.table_name,
        record_id=record.id,
        file_name=file_name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


@strict_arguments
def attachments_for(record: Record, include_archived: bool = False) -> list[Attachment]:
    """The files on a record, oldest first, without loading their content."""
    fields = [f for name, f in Attachment._meta.fields.items() if name != "data"]
    query = Attachment.select(*fields).where(
        (Attachment.table_name == record._meta.table_name) & (Attachment.record_id == record.id)
    )
    if not include_archived:
        query = query.where(is_live(Attachment))
    return list(query.order_by(Attachment.created_at, Attachment.id))


@strict_arguments
def content(attachment: Attachment) -> bytes:
    """The file's bytes (lists leave them out to stay fast)."""
    data = Attachment.select(Attachment.data).where(Attachment.id == attachment.id).scalar()
    return bytes(data)


@strict_arguments
def is_intact(attachment: Attachment) -> bool:
    return hashlib.sha256(content(attachment)).hexdigest() == attachment.sha256


@strict_arguments
def save_copy(attachment: Attachment, path: str | Path) -> Path:
    """Write the file to `path` (or into `path` when it is a folder); returns where it went."""
    target = Path(path)
    if target.is_dir():
        target = target / Path(attachment.file_name).name
    data = content(attachment)
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValidationError(
            {"file": f"{attachment.file_name} is damaged in the database (its checksum does "
                     "not match); restore a backup to recover it."}
        )
    target.write_bytes(data)
    return target


@strict_arguments
def archive(attachment: Attachment) -> Attachment:
    # peewee saves only the fields a row was loaded with, so a row listed without its
    # content can be archived without touching the stored bytes.
    return records.archive(attachment)


@strict_arguments
def restore(attachment: Attachment) -> Attachment:
    return records.unarchive(attachment)
