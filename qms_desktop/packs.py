"""Making review packs: a draft before the meeting, the record after it, frozen at closing.

The window, the command line and the benchmark all come through here, so a pack made from
the terminal is the same as one made from the window.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from qms_desktop import (
    accounts,
    clock,
    formatting,
    readiness,
    records,
    review_flags,
    review_inputs,
    reviews,
)
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import ManagementReview, Person, Record, ReviewPack, database, utc_now
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.review_data import PackData

FORMATS = ("pdf", "html")


class PackChanged(RuntimeError):
    """A closed review's stored pack no longer matches its snapshot: the file was altered."""


@strict_arguments
def pack_data(review: ManagementReview, now: dt.datetime | None = None,
              as_of: dt.date | None = None) -> PackData:
    """What the pack prints: the frozen snapshot for a closed review, else the records now.

    Before the meeting is held the pack is a draft; once held it is the record. With `as_of`
    every figure is of the records as they stood at the end of that day, whatever the
    review's state (on a closed review that is a reconstruction, never the record).
    """
    return _pack_data(review, now, as_of, keep=False)


def _pack_data(review: ManagementReview, now: dt.datetime | None, as_of: dt.date | None,
               keep: bool) -> PackData:
    """pack_data; with `keep`, a draft's new content is remembered as its version is taken
    (draft_version), so an export fingerprints its content once, not twice."""
    if as_of is not None:
        data = _assembled_as_of(review, as_of, now)
        if review.status == "closed":
            data.reconstruction = reconstruction_label(as_of)
        return data
    if review.status == "closed":
        final = reviews.final_pack(review)
        if final is not None and final.snapshot:
            return PackData.from_json(final.snapshot)
    elif review.cut_off() < clock.today():
        # A meeting already past: its pack describes the records as they stood at its
        # cut-off, not as they are while the minutes are being finished.
        data = _assembled_as_of(review, review.cut_off(), now)
        data.pack_version = draft_version(review, data, keep=keep)
        return data
    now = now or utc_now()
    data = review_inputs.assemble(
        review,
        generated_at=now,
        is_draft=review.status != "closed",
        readiness=readiness.for_pack(now.date()),
        today=now.date(),
    )
    data.figures_as_of = now.date().isoformat()
    if review.status != "closed":
        data.pack_version = draft_version(review, data, keep=keep)
    return data


@strict_arguments
def draft_version(review: ManagementReview, data: PackData, keep: bool) -> int:
    """A draft's version: the number of distinct draft contents exported so far, counting
    this one. The same content exported again keeps its version; with `keep` a new content
    is remembered (its fingerprint, not its bytes: a draft is not evidence)."""
    content = data.content_sha256()
    seen = (ReviewPack.select(ReviewPack.pack_version)
            .where((ReviewPack.review == review) & (ReviewPack.is_final == False)  # noqa: E712
                   & (ReviewPack.sha256 == content))
            .scalar())
    if seen is not None:
        return int(seen)
    version = reviews.next_pack_version(review)
    if keep:
        # A draft's row holds the fingerprint of its content in sha256 and no PDF.
        records.create(ReviewPack, review=review, pack_version=version, is_final=False,
                       generated_at=utc_now(), sha256=content, pdf=b"", snapshot="")
    return version


@strict_arguments
def reconstruction_label(day: dt.date) -> str:
    return f"Reconstruction as of {formatting.long_date(day)} — not the record"


def _assembled_as_of(review: ManagementReview, day: dt.date,
                     now: dt.datetime | None) -> PackData:
    # Rebuilding the past reads the change history (and loads its checker): only when asked.
    from qms_desktop.as_of import cut_off_moment, records_as_of

    generated_at = now or utc_now()
    # The review's own records as they are now: what the meeting concluded and decided may
    # have been typed in after its cut-off day.
    own: list[Record] = [review, *review.attendance, *review.inputs, *review.decisions]
    with records_as_of(cut_off_moment(day), keep_live=own):
        then = ManagementReview.get_by_id(review.id)
        data = review_inputs.assemble(
            then,
            generated_at=generated_at,
            is_draft=review.status != "closed",
            readiness=readiness.for_pack(day),
            today=day,
        )
    data.figures_as_of = day.isoformat()
    return data


@strict_arguments
def build_pdf(review: ManagementReview, now: dt.datetime | None = None,
              as_of: dt.date | None = None) -> bytes:
    """A closed review gives back the PDF frozen when it closed, byte for byte, checked
    against its stored SHA-256 and the change history; re-rendering it could differ after an
    update of the product's layout or of reportlab, and the record must not. Open reviews
    are rendered. With `as_of` the pack is rendered as of that day, never the frozen one."""
    if as_of is not None:
        return render_pdf(pack_data(review, now, as_of=as_of))
    final = _checked_final_pack(review)
    if final is not None and final.pdf:
        pdf = bytes(final.pdf)
        if hashlib.sha256(pdf).hexdigest() != final.sha256:
            raise PackChanged(
                f"The pack stored for {review.display_name()} does not match its record; "
                "restore a backup to get the original."
            )
        return pdf
    return render_pdf(pack_data(review, now))


@strict_arguments
def build_html(review: ManagementReview, now: dt.datetime | None = None,
               as_of: dt.date | None = None) -> str:
    from qms_desktop.reports.review_pack_html import render_html  # only for an HTML pack

    if as_of is None:
        _checked_final_pack(review)
    return render_html(pack_data(review, now, as_of=as_of))


def _checked_final_pack(review: ManagementReview) -> ReviewPack | None:
    """The frozen pack of a review that has one, once its evidence is found intact.

    A review with a frozen pack is closed for good: one that reads otherwise, or whose pack
    or history was altered, is refused rather than rendered again as a draft.
    """
    final = reviews.final_pack(review)
    if final is None:
        return None
    from qms_desktop import evidence  # only when a frozen pack is asked for

    # The whole file: the chain head the pack prints vouches for all the history before it.
    verdict = evidence.verify(database.connection())
    if not verdict.sound:
        raise PackChanged(
            f"The frozen pack of {review.display_name()} is not given out while the "
            f"evidence does not hold. {verdict.report()} Restore a backup from before the "
            "change to get the original."
        )
    return final


@strict_arguments
def build(review: ManagementReview, fmt: str, now: dt.datetime | None = None,
          as_of: dt.date | None = None) -> bytes:
    if fmt == "pdf":
        return build_pdf(review, now, as_of)
    if fmt == "html":
        return build_html(review, now, as_of).encode("utf-8")
    raise ValidationError({"fmt": f"There is no pack format {fmt[:20]!r}; use pdf or html."})


@strict_arguments
def export(review: ManagementReview, fmt: str, now: dt.datetime | None = None,
           as_of: dt.date | None = None) -> bytes:
    """The pack as written to a file: an open review's draft takes its version from the
    distinct draft contents exported so far (a new content counts up, the same one keeps
    its number); a closed review gives its frozen pack; an as-of pack is never counted."""
    # A frozen pack means closed whatever the status reads (one set back by hand is
    # refused by build's evidence check, never exported as a draft).
    if (review.status == "closed" or as_of is not None or fmt not in FORMATS
            or reviews.final_pack(review) is not None):
        return build(review, fmt, now, as_of)
    data = _pack_data(review, now, None, keep=True)
    if fmt == "pdf":
        return render_pdf(data)
    from qms_desktop.reports.review_pack_html import render_html

    return render_html(data).encode("utf-8")


@strict_arguments
def closing_flags(review: ManagementReview, data: PackData | None = None) -> list[str]:
    """What the review's own inputs, as of its cut-off, show that its conclusion leaves
    unanswered (review_flags): closing then needs the signer's reason."""
    if data is None:
        data = pack_data(review, as_of=review.cut_off())
    return review_flags.contradictions(data, reviews.answered_gaps(review))


@strict_arguments
def close(review: ManagementReview, by: Person, now: dt.datetime | None = None,
          reason: str = "") -> ReviewPack:
    """Close and freeze the review; its pack is rendered from the snapshot of the records as
    they stood at the review's cut-off (whenever the closing happens), with the change
    history's chain head of the moment it closes.

    A review whose inputs contradict its conclusion closes only with the signer's `reason`;
    the flags, the closing check's warnings and the reason are printed by the record.
    """
    accounts.require(accounts.CLOSE_REVIEW)  # top management's alone, whatever else they may
    check = reviews.closing_check(review, by)
    if check.problems:  # what must be fixed comes before what needs a reason
        raise ValidationError(check.problems)
    data = pack_data(review, now, as_of=review.cut_off())
    flags = closing_flags(review, data)
    if flags and not reason.strip():
        raise ValidationError({"closing_reason": "Say why the review is closed although "
                               "its inputs are flagged: " + " ".join(flags)})
    data.closing_flags = flags + check.warnings
    data.closing_reason = reason.strip() if flags else ""
    data.is_draft = False
    data.status = "closed"
    data.closed_on = clock.today().isoformat()

    def snapshot(chain_head: str) -> str:
        data.chain_head = chain_head
        reviews.sign_pack_data(data, review)  # called once the review records its closing
        return data.to_json()

    return reviews.close_review(
        review, by, render=lambda text: render_pdf(PackData.from_json(text)),
        snapshot=snapshot, reason=data.closing_reason,
    )
