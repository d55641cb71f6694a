"""Offline site audits: a checklist kit for a phone or tablet, and its results merged back.

`make_kit` writes one self-contained HTML page (resources/audit_kit: plain HTML, CSS and
JavaScript, no build step) with the audit, its checklist and the earlier findings on its
process embedded as JSON. The page keeps its progress in the browser and saves a results file
that carries the kit's id, the audit's id and the SHA-256 of its content.

`read_results` checks such a file (format, hash, sizes, photos really images) without
writing anything; `plan_import` compares it with the audit as it stands; `import_results`
merges it in one transaction. A question answered in the app after the kit was made (or
after the last import) with another answer than the kit's is a conflict: the caller chooses
for each one, or nothing is written.

The kit remembers, per question, the answer the app had and the kit's answer as last merged
(`AuditKit.merged`): importing the same file again finds nothing new and writes nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qms_desktop import attachments, audits, clock, files, formatting, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import field_problem, strict_arguments
from qms_desktop.models import (
    FINDING_OUTCOMES,
    Attachment,
    Audit,
    AuditKit,
    Finding,
    database,
    is_live,
)
from qms_desktop.paths import RESOURCES

KIT_FILES = RESOURCES / "audit_kit"
KIT_FORMAT = "qms-desktop-audit-kit"
RESULTS_FORMAT = "qms-desktop-audit-results"
FORMAT_VERSION = 1

# The labels the kit shows: short enough for a phone's width.
KIT_OUTCOME_LABELS = {
    "conforms": "Conforms",
    "minor": "Minor",
    "major": "Major",
    "observation": "Observation",
    "opportunity": "Opportunity",
    "not_applicable": "Not applicable",
}
MAX_PHOTOS_PER_QUESTION = 10
# Every photo at the attachment limit on a dozen questions, in base64, still fits.
MAX_RESULTS_BYTES = 160 * 1024 * 1024
MAX_QUESTIONS = 1000
ID_LENGTH = 36
MAX_IMAGE_PIXELS = 60_000_000
EARLIER_FINDINGS_SHOWN = 40
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
               "WEBP": ("image/webp", ".webp"), "GIF": ("image/gif", ".gif")}
KIT, APP = "kit", "app"

_MARKER = re.compile(r"\{\{(style|script|data|title|csp)\}\}")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


# --- Finding an audit ---------------------------------------------------------------------------


@strict_arguments
def reference(audit: Audit) -> str:
    """How an audit is named on the kit and on the command line: its reference (AUD-2026-003)
    where it has one, else the first characters of its id."""
    return str(getattr(audit, "reference", "") or audit.id[:8])


@strict_arguments
def find_audit(selector: str) -> Audit:
    """An audit by its reference (AUD-2026-003), its id, or the first characters of its id."""
    text = selector.strip()
    if "reference" in Audit._meta.fields and text:
        by_reference: Audit | None = Audit.live().where(
            Audit._meta.fields["reference"] == text.upper()).first()
        if by_reference is not None:
            return by_reference
    if len(text) < 4:
        raise LookupError(f"Give the audit's reference (AUD-...) or at least the first 4 "
                          f"characters of its id, not {selector[:40]!r}.")
    if len(text) > ID_LENGTH:
        raise LookupError(f"No audit has the reference or id {selector[:60]!r}; an id is "
                          f"{ID_LENGTH} characters.")
    matches = list(Audit.live().where(Audit.id.startswith(text.lower())).limit(5))
    if not matches:
        raise LookupError(f"No audit has the reference or id {selector[:60]!r}.")
    if len(matches) > 1:
        names = "; ".join(f"{a.id[:8]} {a.title} ({formatting.short_date(a.planned_on)})"
                          for a in matches)
        raise LookupError(f"{selector[:60]!r} matches several audits ({names}); give more "
                          "of the id.")
    return matches[0]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "audit"


@strict_arguments
def kit_file_name(audit: Audit) -> str:
    return f"audit-kit-{_slug(audit.title)}-{audit.planned_on:%Y-%m-%d}.html"


@strict_arguments
def results_file_name(audit: Audit) -> str:
    return f"{_slug(audit.title)}-{audit.planned_on:%Y-%m-%d}-results.json"


# --- Making a kit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MadeKit:
    kit: AuditKit
    html: str
    file_name: str
    questions: int


def _answer_of(finding: Finding) -> list[str]:
    return [finding.outcome, finding.notes or ""]


def _earlier_findings(audit: Audit) -> list[dict[str, str]]:
    if audit.process_id is None:
        return []
    earlier = (
        Finding.live()
        .join(Audit)
        .where(
            (Audit.process == audit.process_id) & (Audit.id != audit.id)
            & is_live(Audit)
            & Finding.outcome.in_(("minor", "major", "observation", "opportunity"))
        )
        .order_by(Audit.held_on.desc(nulls="LAST"), Audit.planned_on.desc(), Finding.position)
        .limit(EARLIER_FINDINGS_SHOWN)
    )
    rows = []
    for finding in earlier:
        held = finding.audit.held_on or finding.audit.planned_on
        nc = finding.nonconformity
        rows.append({
            "audit": finding.audit.title,
            "date": held.isoformat(),
            "clause": finding.clause,
            "question": finding.question,
            "outcome": dict(FINDING_OUTCOMES).get(finding.outcome, finding.outcome),
            "notes": finding.notes,
            "nonconformity": (f"{nc.reference} ({nc.status})" if nc is not None else ""),
        })
    return rows


def _kit_data(audit: Audit, kit_id: str, made_at: dt.datetime,
              questions: list[Finding]) -> dict[str, Any]:
    process = audit.process
    auditee = process.owner if process is not None else None
    return {
        "format": KIT_FORMAT,
        "version": FORMAT_VERSION,
        "kit_id": kit_id,
        "audit_id": audit.id,
        "made_at": made_at.isoformat() + "Z",
        "results_file_name": results_file_name(audit),
        "audit": {
            "reference": reference(audit),
            "title": audit.title,
            "scope": audit.scope,
            "criteria": audit.criteria,
            "clause": audit.clause,
            "process": process.name if process is not None else "",
            "auditee": auditee.full_name if auditee is not None else "",
            "auditor": audit.auditor.full_name if audit.auditor is not None else "",
            "date": audit.planned_on.isoformat(),
        },
        "outcomes": [[key, KIT_OUTCOME_LABELS[key]] for key, _label in FINDING_OUTCOMES],
        "needs_notes": list(audits.NEEDS_NOTES),
        "limits": {
            "photo_bytes": attachments.MAX_ATTACHMENT_BYTES,
            "photos_per_question": MAX_PHOTOS_PER_QUESTION,
            "results_bytes": MAX_RESULTS_BYTES,
        },
        "questions": [
            {
                "id": f.id,
                "position": f.position,
                "clause": f.clause,
                "question": f.question,
                "guidance": f.guidance,
                "outcome": f.outcome,
                "notes": f.notes,
            }
            for f in questions
        ],
        "earlier_findings": _earlier_findings(audit),
    }


def _embedded_json(value: Any) -> str:
    """JSON that cannot end its <script> block or open markup: every <, > and & escaped."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() \
        + "'"


def _render_kit(data: dict[str, Any]) -> str:
    """The page: kit.html with kit.css and kit.js inlined and `data` embedded."""
    page = (KIT_FILES / "kit.html").read_text(encoding="utf-8")
    style = (KIT_FILES / "kit.css").read_text(encoding="utf-8")
    script = (KIT_FILES / "kit.js").read_text(encoding="utf-8")
    # Our own files; a closing tag in them would end the block early. Checked even under
    # `python -O`, which drops asserts.
    if "</style" in style.lower() or "</script" in script.lower():
        raise RuntimeError("kit.css or kit.js holds a closing tag that would end its block")
    # No network at all: only the inline script and style with these exact hashes run.
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; "
           f"style-src {_csp_hash(style)}; img-src data: blob:; base-uri 'none'; "
           "form-action 'none'")
    values = {
        "style": style,
        "script": script,
        "data": _embedded_json(data),
        "title": html.escape(f"{data['audit']['title']} · site audit kit"),
        "csp": html.escape(csp, quote=False),  # no double quote in it; single ones stay
    }
    return _MARKER.sub(lambda match: values[match.group(1)], page)


@strict_arguments
def make_kit(audit: Audit) -> MadeKit:
    """Remember a new kit for `audit` and give its page; refused for a closed audit or one
    without questions."""
    audit = Audit.get_by_id(audit.id)  # the stored status decides, not a stale copy
    if audit.status in (audits.DONE, audits.CANCELLED):
        state = "completed" if audit.status == audits.DONE else "cancelled"
        raise ValidationError({"audit": f"“{audit.title}” is {state}; a kit is only made "
                                        "for an audit still to be held."})
    questions = audits.findings(audit)
    if not questions:
        raise ValidationError({"audit": f"“{audit.title}” has no checklist questions yet. "
                                        "Copy a checklist into it first (Run audit)."})
    snapshot = {f.id: {"position": f.position, "question": f.question,
                       "outcome": f.outcome, "notes": f.notes} for f in questions}
    merged = {f.id: {APP: _answer_of(f), KIT: _answer_of(f)} for f in questions}
    kit = records.create(AuditKit, audit=audit, made_by=records.current_user(),
                         questions=_dumps(snapshot), merged=_dumps(merged))
    data = _kit_data(audit, kit.id, kit.created_at, questions)
    return MadeKit(kit, _render_kit(data), kit_file_name(audit), len(questions))


@strict_arguments
def write_kit(audit: Audit, path: Path) -> MadeKit:
    """`make_kit` written to `path` as a whole file; the kit is remembered only if it was."""
    with database.atomic():
        made = make_kit(audit)
        with files.written_in_place_of(path) as partial:
            partial.write_text(made.html, encoding="utf-8")
    return made


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- Reading a results file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    suffix: str
    sha256: str


@dataclass(frozen=True)
class KitAnswer:
    question_id: str
    outcome: str  # "" when not answered on site
    notes: str
    answered_at: dt.datetime | None
    photos: tuple[Photo, ...]


@dataclass(frozen=True)
class Results:
    kit_id: str
    audit_id: str
    answered_by: str
    saved_at: dt.datetime
    answers: tuple[KitAnswer, ...]
    sha256: str


_OUTER_KEYS = {"format", "version", "kit_id", "audit_id", "sha256", "content"}
_CONTENT_KEYS = {"format", "version", "kit_id", "audit_id", "saved_at", "answered_by",
                 "answers"}
_ANSWER_KEYS = {"question_id", "outcome", "notes", "answered_at", "photos"}
_PHOTO_KEYS = {"name", "type", "data"}
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _schema_problem(what: str) -> ValidationError:
    return _refuse(f"This is not a results file of a QMS Desktop audit kit, or it was changed: "
                   f"{what}. Nothing was imported.")


def _object(value: Any, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _schema_problem(f"{what} is not an object")
    if set(value) != keys:
        odd = sorted(set(value) ^ keys)
        raise _schema_problem(f"{what} has unexpected or missing entries ({', '.join(odd)[:200]})")
    return value


def _string(value: Any, what: str, limit: int = 100_000) -> str:
    if not isinstance(value, str):
        raise _schema_problem(f"{what} is not text")
    if len(value) > limit:
        raise _schema_problem(f"{what} is longer than {limit:,} characters")
    return value


def _moment(value: Any, what: str) -> dt.datetime:
    text = _string(value, what, 40)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _schema_problem(f"{what} is not a date and time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if not dt.datetime(2000, 1, 1) <= moment <= dt.datetime(2100, 12, 31):
        raise _schema_problem(f"{what} is not a plausible date")
    return moment.replace(microsecond=0)


@strict_arguments
def check_image(data: bytes, label: str) -> tuple[str, str]:
    """(content type, file suffix) of a real, whole image; ValidationError otherwise."""
    from PIL import Image, UnidentifiedImageError

    not_image = _refuse(f"{label} is not a photo this app can read (JPEG, PNG, WebP or GIF), "
                        "or it is damaged. Nothing was imported.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if kind not in IMAGE_TYPES:
                raise not_image
            if width * height > MAX_IMAGE_PIXELS:
                raise _refuse(f"{label} is {width} x {height} pixels; photos can have at most "
                              f"{MAX_IMAGE_PIXELS // 1_000_000} million. Nothing was imported.")
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes every pixel: a cut-off file fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise not_image from None
    return IMAGE_TYPES[kind]


def _photo(value: Any, label: str) -> Photo:
    photo = _object(value, _PHOTO_KEYS, label)
    _string(photo["name"], f"{label}'s name", 255)
    _string(photo["type"], f"{label}'s type", 100)
    encoded = _string(photo["data"], f"{label}'s content", MAX_RESULTS_BYTES)
    # Size first, from the length of the text, so a huge photo is never decoded.
    size = len(encoded) * 3 // 4
    if size > attachments.MAX_ATTACHMENT_BYTES + 3:
        raise _refuse(f"{label} is larger than the {attachments.MAX_ATTACHMENT_BYTES // 2**20} "
                      "MB a photo can have. Nothing was imported.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _schema_problem(f"{label}'s content is not base64") from None
    try:
        attachments.check_size(label, len(data))
    except ValidationError as error:
        raise _refuse(error.problems["file"] + " Nothing was imported.") from None
    content_type, suffix = check_image(data, label)
    return Photo(data, content_type, suffix, hashlib.sha256(data).hexdigest())


@strict_arguments
def read_results(data: bytes) -> Results:
    """The results in `data`, checked; ValidationError with a plain message otherwise."""
    if len(data) > MAX_RESULTS_BYTES:
        raise _refuse(f"The results file is {len(data) / 2**20:.0f} MB; a results file can be "
                      f"at most {MAX_RESULTS_BYTES // 2**20} MB. Nothing was imported.")
    try:
        outer = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _schema_problem("it is not JSON text") from None
    outer = _object(outer, _OUTER_KEYS, "the file")
    if outer["format"] != RESULTS_FORMAT:
        raise _schema_problem("its format is not the kit's results")
    if outer["version"] != FORMAT_VERSION:
        raise _refuse(f"This results file is of version {str(outer['version'])[:20]}; this "
                      f"app reads version {FORMAT_VERSION}. Nothing was imported.")
    content = _string(outer["content"], "the content", MAX_RESULTS_BYTES)
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    if outer["sha256"] != digest:
        raise _refuse("The results file was changed after the kit saved it (its SHA-256 does "
                      "not match its content), or it is damaged. Nothing was imported; save "
                      "the results from the kit again.")
    try:
        inner = json.loads(content)
    except ValueError:
        raise _schema_problem("its content is not JSON") from None
    inner = _object(inner, _CONTENT_KEYS, "the content")
    for key in ("format", "version", "kit_id", "audit_id"):
        if inner[key] != outer[key]:
            raise _schema_problem(f"the {key.replace('_', ' ')} inside differs from outside")
    for key in ("kit_id", "audit_id"):
        if not isinstance(inner[key], str) or not _ID.match(inner[key]):
            raise _schema_problem(f"its {key.replace('_', ' ')} is not an id")
    answered_by = _string(inner["answered_by"], "who answered", 200).strip()
    saved_at = _moment(inner["saved_at"], "when it was saved")
    if not isinstance(inner["answers"], list):
        raise _schema_problem("its answers are not a list")
    if len(inner["answers"]) > MAX_QUESTIONS:
        raise _refuse(f"The results file has more than {MAX_QUESTIONS} answers. Nothing was "
                      "imported.")
    answers = []
    seen: set[str] = set()
    for number, value in enumerate(inner["answers"], start=1):
        label = f"answer {number}"
        item = _object(value, _ANSWER_KEYS, label)
        question_id = _string(item["question_id"], f"{label}'s question", ID_LENGTH)
        if question_id in seen:
            raise _schema_problem(f"{label} answers a question already answered")
        seen.add(question_id)
        outcome = _string(item["outcome"], f"{label}'s outcome", 20)
        if outcome and outcome not in KIT_OUTCOME_LABELS:
            raise _schema_problem(f"{label}'s outcome {outcome[:20]!r} is not one of the kit's")
        notes = _string(item["notes"], f"{label}'s notes")
        answered_at = (None if item["answered_at"] in (None, "")
                       else _moment(item["answered_at"], f"{label}'s time"))
        if not isinstance(item["photos"], list):
            raise _schema_problem(f"{label}'s photos are not a list")
        if len(item["photos"]) > MAX_PHOTOS_PER_QUESTION:
            raise _refuse(f"{label.capitalize()} has {len(item['photos'])} photos; a question "
                          f"can have at most {MAX_PHOTOS_PER_QUESTION}. Nothing was imported.")
        photos = tuple(_photo(p, f"Photo {n} of {label}")
                       for n, p in enumerate(item["photos"], start=1))
        answers.append(KitAnswer(question_id, outcome, _clean_notes(notes), answered_at, photos))
    return Results(inner["kit_id"], inner["audit_id"], answered_by, saved_at, tuple(answers),
                   digest)


def _clean_notes(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@strict_arguments
def read_results_file(path: str | Path) -> Results:
    """`read_results` of a file, its size checked before it is read."""
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_RESULTS_BYTES:
            raise _refuse(f"{source.name} is {size / 2**20:.0f} MB; a results file can be at "
                          f"most {MAX_RESULTS_BYTES // 2**20} MB. Nothing was imported.")
        data = source.read_bytes()
    except OSError:
        raise _refuse(f"{str(source)[:200]} is not a file that can be read.") from None
    return read_results(data)


# --- Comparing with the audit -------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    outcome: str
    notes: str
    answered_by: str
    answered_at: dt.datetime | None

    @property
    def label(self) -> str:
        return audits.OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class Conflict:
    """A question answered both on site and, differently, in the app since the kit was made."""

    finding: Finding
    app: Side
    kit: Side


@dataclass(frozen=True)
class ImportPlan:
    results: Results
    kit: AuditKit
    audit: Audit
    # Answers to take from the kit without asking; conflicts wait for a choice.
    take: tuple[tuple[Finding, KitAnswer], ...]
    conflicts: tuple[Conflict, ...]
    # Answers new in the kit that the app already has: nothing to write but the kit's memory.
    agreed: tuple[KitAnswer, ...]
    # (finding, photo) not on the finding yet.
    photos: tuple[tuple[Finding, Photo], ...]
    # Answers that are not new: unchanged on site since the kit was made or last imported.
    unchanged: int
    missing: int  # answers to questions removed from the audit since the kit was made
    # Questions with notes written on site but no outcome chosen: not imported, and said so.
    notes_left_out: int = 0

    @property
    def nothing_new(self) -> bool:
        return not (self.take or self.conflicts or self.photos)


def _merged_state(kit: AuditKit) -> dict[str, dict[str, list[str]]]:
    state = json.loads(kit.merged or "{}")
    return state if isinstance(state, dict) else {}


def _photo_hashes(finding: Finding) -> set[str]:
    """Archived ones too: a photo archived after an import is not brought back by the next."""
    return {
        row.sha256 for row in Attachment.select(Attachment.sha256).where(
            (Attachment.table_name == Finding._meta.table_name)
            & (Attachment.record_id == finding.id)
        )
    }


@strict_arguments
def plan_import(results: Results, audit: Audit | None = None) -> ImportPlan:
    """What importing `results` would do, writing nothing; refused (ValidationError) for a file
    of another audit or kit, a closed audit, or answers the app would not take."""
    kit = AuditKit.get_or_none(AuditKit.id == results.kit_id)
    if kit is None:
        raise _refuse("This results file comes from a kit this database did not make (kit "
                      f"{results.kit_id[:8]}). Import it into the database the kit was made "
                      "from. Nothing was imported.")
    if kit.audit_id != results.audit_id:
        raise _refuse("This results file does not belong to the audit its kit was made for. "
                      "Nothing was imported.")
    target = Audit.get_or_none(Audit.id == results.audit_id)
    if target is None or target.archived_at is not None:
        raise _refuse("The audit of this results file is no longer in the programme. Nothing "
                      "was imported.")
    if audit is not None and audit.id != target.id:
        raise _refuse(f"This results file is for the audit “{target.title}” "
                      f"({reference(target)}), not for “{audit.title}”. Choose that audit, "
                      "or the right file. Nothing was imported.")
    if target.status in (audits.DONE, audits.CANCELLED):
        closed = "completed" if target.status == audits.DONE else "cancelled"
        raise _refuse(f"“{target.title}” is {closed}; its checklist is closed. Nothing was "
                      "imported.")
    problem = field_problem(Finding.answered_by, results.answered_by)
    if problem:
        raise _refuse(f"Who answered: {problem} Nothing was imported.")
    state = _merged_state(kit)
    by_id = {f.id: f for f in audits.findings(target)}
    take: list[tuple[Finding, KitAnswer]] = []
    conflicts: list[Conflict] = []
    agreed: list[KitAnswer] = []
    photos: list[tuple[Finding, Photo]] = []
    missing = unchanged = notes_left_out = 0
    for answer in results.answers:
        if answer.question_id not in state:
            raise _refuse("This results file answers a question its kit did not have. "
                          "Nothing was imported.")
        finding = by_id.get(answer.question_id)
        if finding is None:
            missing += 1
            continue
        label = f"Q{finding.position}"
        on_file = _photo_hashes(finding)
        for photo in answer.photos:
            if photo.sha256 not in on_file:
                photos.append((finding, photo))
                on_file.add(photo.sha256)
        if not answer.outcome:
            if answer.notes and answer.notes != (finding.notes or "").strip():
                notes_left_out += 1
            continue
        problem = field_problem(Finding.notes, answer.notes)
        if problem:
            raise _refuse(f"{label}: the notes: {problem} Nothing was imported.")
        if answer.outcome in audits.NEEDS_NOTES and not answer.notes:
            raise _refuse(f"{label} is answered “{KIT_OUTCOME_LABELS[answer.outcome]}” without "
                          "notes on what was seen; write them in the kit, save the results "
                          "again and import that file. Nothing was imported.")
        kit_answer = [answer.outcome, answer.notes]
        app_answer = _answer_of(finding)
        seen = state[answer.question_id]
        if kit_answer == seen.get(KIT):
            unchanged += 1  # not changed on site since the kit was made or last imported
        elif kit_answer == app_answer:
            agreed.append(answer)
        elif app_answer == seen.get(APP):
            take.append((finding, answer))
        else:
            conflicts.append(Conflict(
                finding,
                Side(finding.outcome, finding.notes, finding.answered_by, finding.answered_at),
                Side(answer.outcome, answer.notes, results.answered_by, answer.answered_at),
            ))
    return ImportPlan(results, kit, target, tuple(take), tuple(conflicts), tuple(agreed),
                      tuple(photos), unchanged, missing, notes_left_out)


# --- Merging --------------------------------------------------------------------------------------


class ConflictsFound(ValidationError):
    """Answers given on both sides; `conflicts` lists them until a choice is made."""

    def __init__(self, conflicts: tuple[Conflict, ...]):
        super().__init__({"conflicts": conflicts_text(conflicts)})
        self.conflicts = conflicts


@strict_arguments
def conflicts_text(conflicts: tuple[Conflict, ...]) -> str:
    lines = [f"{len(conflicts)} question{'s were' if len(conflicts) != 1 else ' was'} also "
             "answered in the app after the kit was made, differently:"]
    for conflict in conflicts:
        finding = conflict.finding
        lines.append(
            f"  Q{finding.position} {finding.question[:80]}\n"
            f"    in the app: {_side_text(conflict.app)}\n"
            f"    on site:    {_side_text(conflict.kit)}")
    return "\n".join(lines)


def _side_text(side: Side) -> str:
    notes = f" ({side.notes[:80]})" if side.notes else ""
    who = f", {side.answered_by}" if side.answered_by else ""
    when = f" {formatting.timestamp(side.answered_at)} UTC" if side.answered_at else ""
    return f"{side.label}{notes}{who}{when}"


@dataclass(frozen=True)
class ImportReport:
    audit: Audit
    answers_taken: int
    photos_added: int
    kept_in_app: int
    unchanged: int
    missing: int
    notes_left_out: int = 0

    def summary(self) -> str:
        if not (self.answers_taken or self.photos_added or self.kept_in_app):
            if self.notes_left_out:
                return f"Nothing imported into “{self.audit.title}”." + self._notes_left_out()
            return (f"Nothing new for “{self.audit.title}”: every answer and photo in this "
                    "file is already in the audit.")
        parts = [f"{self.answers_taken} answer{'s' if self.answers_taken != 1 else ''}",
                 f"{self.photos_added} photo{'s' if self.photos_added != 1 else ''}"]
        text = f"Imported {' and '.join(parts)} into “{self.audit.title}”."
        if self.kept_in_app:
            text += f" Kept the app's answer on {self.kept_in_app} question" + (
                "s." if self.kept_in_app != 1 else ".")
        if self.missing:
            text += (f" {self.missing} answer{'s' if self.missing != 1 else ''} left out: "
                     "their questions were removed from the audit.")
        return text + self._notes_left_out()

    def _notes_left_out(self) -> str:
        if not self.notes_left_out:
            return ""
        count = self.notes_left_out
        questions = "1 question has" if count == 1 else f"{count} questions have"
        left = "was" if count == 1 else "were"
        return (f" {questions} notes but no outcome and {left} left out: choose the outcome "
                "in the kit, save the results again and import that file.")


@strict_arguments
def import_results(results: Results, audit: Audit | None = None, prefer: str = "",
                   choices: dict[str, str] | None = None) -> ImportReport:
    """Merge `results` into its audit, all or nothing.

    Conflicts are settled by `choices` (finding id -> "kit" or "app"), else by `prefer`;
    one left unsettled refuses the import with ConflictsFound.
    """
    if prefer not in ("", KIT, APP):
        raise ValidationError({"prefer": "Prefer either kit or app."})
    choices = choices or {}
    if any(choice not in (KIT, APP) for choice in choices.values()):
        raise ValidationError({"choices": "Choose kit or app for each question."})
    with database.atomic():
        plan = plan_import(results, audit)
        unsettled = tuple(c for c in plan.conflicts
                          if (choices.get(c.finding.id) or prefer) not in (KIT, APP))
        if unsettled:
            raise ConflictsFound(unsettled)
        who = results.answered_by or records.current_user()
        answers = {a.question_id: a for a in results.answers}
        to_write = list(plan.take)
        kept_in_app = 0
        for conflict in plan.conflicts:
            if (choices.get(conflict.finding.id) or prefer) == KIT:
                to_write.append((conflict.finding, answers[conflict.finding.id]))
            else:
                kept_in_app += 1
        for finding, answer in to_write:
            audits.answer(finding, answer.outcome, answer.notes, answered_by=who,
                          answered_at=answer.answered_at or results.saved_at)
        numbers: dict[str, int] = {}
        for finding, photo in plan.photos:
            numbers[finding.id] = numbers.get(finding.id, 0) + 1
            name = (f"site-photo-Q{finding.position}-{numbers[finding.id]}-"
                    f"{photo.sha256[:8]}{photo.suffix}")
            attachments.attach(finding, photo.data, file_name=name,
                               content_type=photo.content_type)
        # Remember both sides as they now stand for every answer looked at, so the same file
        # again finds nothing new and a later change in the app is seen as one.
        state = _merged_state(plan.kit)
        settled = [a.question_id for a in plan.agreed]
        settled += [f.id for f, _a in plan.take] + [c.finding.id for c in plan.conflicts]
        for question_id in settled:
            finding = Finding.get_by_id(question_id)
            answer = answers[question_id]
            state[question_id] = {APP: _answer_of(finding), KIT: [answer.outcome, answer.notes]}
        if settled or plan.photos:
            records.update(plan.kit, merged=_dumps(state), imported_at=clock.utc_now())
    return ImportReport(plan.audit, len(to_write), len(plan.photos), kept_in_app,
                        plan.unchanged, plan.missing, plan.notes_left_out)


@strict_arguments
def kits_for(audit: Audit) -> list[AuditKit]:
    return list(AuditKit.live().where(AuditKit.audit == audit).order_by(AuditKit.created_at))
