"""Attachments: stored with size and hash, limited in size, archived not deleted."""

from __future__ import annotations

import hashlib

import pytest

from qms_desktop import attachments, records
from qms_desktop.attachments import MAX_ATTACHMENT_BYTES
from qms_desktop.errors import ValidationError
from qms_desktop.models import Attachment, ChangeHistory, Risk


@pytest.fixture
def risk(store) -> Risk:
    return records.create(Risk, title="Flooding of the store room")


def counts() -> tuple[int, int]:
    return Attachment.select().count(), ChangeHistory.select().count()


def test_attach_bytes_keeps_size_hash_and_type(risk):
    data = b"\x89PNG fake image"
    made = attachments.attach(risk, data, "photo.png")
    stored = Attachment.get_by_id(made.id)
    assert (stored.table_name, stored.record_id) == ("risk", risk.id)
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "image/png"
    assert bytes(stored.data) == data
    assert attachments.is_intact(stored)


def test_attach_a_file_path(risk, tmp_path):
    source = tmp_path / "certificate.pdf"
    source.write_bytes(b"%PDF-1.4 certificate")
    made = attachments.attach(risk, source)
    assert made.file_name == "certificate.pdf"
    assert made.content_type == "application/pdf"


def test_the_history_names_the_content_without_copying_it(risk):
    data = b"x" * 5000
    made = attachments.attach(risk, data, "big.bin")
    entry = records.history_of(made)[0]
    assert "5,000 bytes" in entry.changes
    assert hashlib.sha256(data).hexdigest() in entry.changes
    assert "xxxxxxxxxx" not in entry.changes


def test_exactly_at_the_limit_is_accepted(risk):
    made = attachments.attach(risk, b"a" * MAX_ATTACHMENT_BYTES, "scan.pdf")
    assert Attachment.get_by_id(made.id).size == MAX_ATTACHMENT_BYTES


def test_just_over_the_limit_is_refused_and_nothing_stored(risk):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        attachments.attach(risk, b"a" * (MAX_ATTACHMENT_BYTES + 1), "photo.jpg")
    assert caught.value.problems["file"] == (
        "photo.jpg is 10,485,761 bytes; attachments can be at most 10 MB (10,485,760 bytes). "
        "Reduce the photo's size or keep it outside and note where it is.")
    assert counts() == before


def test_a_big_file_on_disk_is_refused_with_its_size_in_mb(risk, tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"a" * int(14.2 * 1024 * 1024))
    before = counts()
    with pytest.raises(ValidationError) as caught:
        attachments.attach(risk, source)
    assert caught.value.problems["file"] == (
        "photo.jpg is 14.2 MB; attachments can be at most 10 MB. "
        "Reduce the photo's size or keep it outside and note where it is.")
    assert counts() == before


def test_empty_files_are_refused(risk, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = counts()
    for attempt in (lambda: attachments.attach(risk, empty),
                    lambda: attachments.attach(risk, b"", "empty.txt")):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert "empty" in caught.value.problems["file"]
    assert counts() == before


def test_list_save_copy_and_archive(risk, tmp_path):
    first = attachments.attach(risk, b"one", "one.txt")
    second = attachments.attach(risk, b"two", "two.txt")
    other = records.create(Risk, title="Other")
    attachments.attach(other, b"three", "three.txt")
    listed = attachments.attachments_for(risk)
    assert [a.file_name for a in listed] == ["one.txt", "two.txt"]

    saved = attachments.save_copy(listed[1], tmp_path)
    assert saved == tmp_path / "two.txt" and saved.read_bytes() == b"two"
    assert attachments.save_copy(listed[0], tmp_path / "copy.txt").read_bytes() == b"one"

    attachments.archive(listed[0])
    assert [a.id for a in attachments.attachments_for(risk)] == [second.id]
    assert len(attachments.attachments_for(risk, include_archived=True)) == 2
    # Archiving a row listed without its content leaves the content alone.
    assert bytes(Attachment.get_by_id(first.id).data) == b"one"
    attachments.restore(Attachment.get_by_id(first.id))
    assert len(attachments.attachments_for(risk)) == 2


def test_a_damaged_attachment_is_not_saved(risk, tmp_path):
    made = attachments.attach(risk, b"good", "a.txt")
    Attachment.update(data=b"evil").where(Attachment.id == made.id).execute()
    with pytest.raises(ValidationError):
        attachments.save_copy(made, tmp_path)
    assert not (tmp_path / "a.txt").exists()
