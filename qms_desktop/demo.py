"""The sample company: fill an empty database with records that read like a real firm's.

`fill_sample("small")` writes a 25-person precision engineering firm through the service
layer, so every row has its change-history entry. `fill_sample("large")` writes a stress set
of the same firm grown to 500 people and ten years of records, with bulk inserts.

One seeded generator makes everything, ids included, and dates are relative to today so the
sample always looks current (actions overdue today, readings up to last month): the same seed
on the same day gives the same database, row for row.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from peewee import DateField, DateTimeField, fn

from qms_desktop import ids, records
from qms_desktop.models import (
    ALL_MODELS,
    Action,
    Audit,
    BaseModel,
    ChangeHistory,
    Document,
    DocumentVersion,
    Finding,
    Kpi,
    ManagementReview,
    Nonconformity,
    Objective,
    Organisation,
    Person,
    PersonRole,
    Process,
    Reading,
    Record,
    Risk,
    Role,
    Setting,
    Site,
    database,
)

SIZES = ("small", "large")
SAMPLE_AUTHOR = "Sample data"
COMPANY = "Northbank Precision Components Ltd"
DOMAIN = "northbank-precision.ie"
EPOCH = dt.datetime(1970, 1, 1)

Progress = Callable[[str], None]
T = TypeVar("T")


def fill_sample(
    size: str = "small", seed: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """Fill the open, migrated, empty database with the sample company; row counts per table.

    The caller opens the store (`db.open_database`) and checks it is empty first.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown sample size {size!r}; choose one of {', '.join(SIZES)}.")
    report = progress or (lambda _message: None)
    sample = _Sample(random.Random(seed), dt.date.today())
    if size == "small":
        _build_small(sample)
        _write_through_services(sample, report)
    else:
        _build_large(sample)
        _write_in_bulk(sample, report)
    return {model._meta.table_name: model.select().count() for model in ALL_MODELS}


# --- The generator: rows in memory, written at the end ------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after the month of `day`."""
    years, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + years, month + 1, 1)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Faster than Random.randint and Random.choice, which matters for the large set's 60,000 rows.
def _rand(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


@dataclass
class _Sample:
    rng: random.Random
    today: dt.date
    rows: dict[type[Record], list[dict[str, Any]]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # key -> id
    names: dict[str, str] = field(default_factory=dict)  # id -> full name
    processes: dict[str, str] = field(default_factory=dict)  # key -> id
    owners: dict[str, str] = field(default_factory=dict)  # process key -> person id
    roles: dict[str, str] = field(default_factory=dict)  # role title -> id
    user_name: str = ""

    def __post_init__(self) -> None:
        self.rows = {model: [] for model in ALL_MODELS if issubclass(model, Record)}
        # Nothing is created later than last night, so the sample never lies in the future.
        self.latest = dt.datetime.combine(self.today, dt.time()) - dt.timedelta(minutes=1)

    def at(self, day: dt.date, first_hour: int = 8, last_hour: int = 17) -> dt.datetime:
        """A working-hours moment on `day` (no later than last night)."""
        seconds = int(self.rng.random() * (last_hour - first_hour) * 3600)
        when = dt.datetime.combine(day, dt.time(first_hour)) + dt.timedelta(seconds=seconds)
        return min(when, self.latest)

    def add(self, model: type[Record], when: dt.datetime, **values: Any) -> str:
        when = min(when, self.latest)
        millis = int((when - EPOCH).total_seconds()) * 1000 + int(self.rng.random() * 1000)
        record_id = ids.new_id(self.rng, millis)
        self.rows[model].append(
            {"id": record_id, "created_at": when, "updated_at": when, **values}
        )
        return record_id

    def close_if_closed(self, nonconformity: str) -> None:
        """A closed nonconformity closes a few days after its last action was done."""
        row = next(r for r in reversed(self.rows[Nonconformity]) if r["id"] == nonconformity)
        if row["status"] != "closed":
            return
        done = [a["done_on"] for a in reversed(self.rows[Action])
                if a["source_id"] == nonconformity and a["done_on"]]
        last = max(done, default=row["raised_on"] + _days(20))
        row["closed_on"] = min(last + _days(_rand(self.rng, 2, 12)), self.today - _days(1))

    def action(
        self,
        source_table: str,
        source_id: str,
        title: str,
        owner: str | None,
        raised: dt.date,
        fate: str,
        evidence: str = "",
    ) -> str:
        """An action whose status and dates follow from its fate relative to today.

        Fates: done, late (done after a moved due date), overdue, moved (open, due date
        put back), week (due in the next few days), open (due later), cancelled.
        """
        rng, today = self.rng, self.today
        created = min(raised + _days(_rand(rng, 0, 3)), today - _days(1))
        # Open actions on old records were raised at a later review, not years ago.
        recent = {"overdue": (40, 120), "moved": (60, 150), "week": (10, 40), "open": (5, 40)}
        if fate in recent:
            created = max(created, today - _days(_rand(rng, *recent[fate])))
        due = created + _days(_choice(rng, (14, 21, 28, 30, 45, 60)))
        original = None
        status, done_on = "open", None
        if fate in ("done", "late"):
            if fate == "late":
                original, due = due, due + _days(_choice(rng, (14, 21, 30)))
            due = min(due, today - _days(1))
            done_on = min(max(created + _days(1), due - _days(_rand(rng, 0, 6))),
                          today - _days(1))
            status = "done"
        elif fate == "overdue":
            due = max(created + _days(3), min(due, today - _days(_rand(rng, 2, 25))))
            if due >= today:  # raised too recently to be overdue yet
                due = today - _days(1)
        elif fate == "moved":
            original = min(due, today - _days(_rand(rng, 2, 20)))
            due = today + _days(_rand(rng, 10, 40))
        elif fate == "week":
            due = today + _days(_rand(rng, 1, 5))
        elif fate == "cancelled":
            status = "cancelled"
        else:
            due = max(due, today + _days(_rand(rng, 12, 50)))
        if status != "done":
            evidence = ""
        return self.add(
            Action,
            self.at(created),
            title=title,
            owner=owner,
            due_on=due,
            original_due_on=original,
            status=status,
            done_on=done_on,
            evidence=evidence,
            source_table=source_table,
            source_id=source_id,
        )


# --- Writing --------------------------------------------------------------------------------


def _label(model: type[BaseModel]) -> str:
    return getattr(model, "display_plural", "") or "Change history"


def _write_through_services(sample: _Sample, report: Progress) -> None:
    """Every row through `records.create`, so each has its history row."""
    with database.atomic():
        report("Organisation")
        history_from = ChangeHistory.select(fn.MAX(ChangeHistory.id)).scalar() or 0
        records.set_setting(records.USER_NAME_KEY, sample.user_name)
        for model, rows in sample.rows.items():
            if rows and model is not Organisation:
                report(_label(model))
            for row in rows:
                records.create(model, **row)
        # History says the sample records were made when they say they were, not tonight.
        founded = sample.rows[Organisation][0]["created_at"]
        ChangeHistory.update(changed_at=founded).where(
            (ChangeHistory.id > history_from) & (ChangeHistory.table_name == "setting")
        ).execute()
        for model in sample.rows:
            table = model._meta.table_name
            created = model.select(model.created_at).where(model.id == ChangeHistory.record_id)
            ChangeHistory.update(changed_at=created).where(
                (ChangeHistory.id > history_from) & (ChangeHistory.table_name == table)
            ).execute()


def _text(value: dt.date | None) -> str | None:
    """Dates and times as peewee stores them (ISO 8601, a space before the time)."""
    if value is None:
        return None
    return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()


def _insert(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    """All rows through one prepared INSERT (four times faster than `insert_many` here).

    Values are gathered column by column; a field a row leaves out gets its default, as
    `records.create` would give it.
    """
    names = list(model._meta.sorted_field_names)
    columns = []
    for name in names:
        model_field = model._meta.fields[name]
        default = model_field.default
        values = [row.get(name, default) for row in rows]
        if callable(default):
            values = [default() if v is default else v for v in values]
        if isinstance(model_field, DateField | DateTimeField):
            values = [_text(v) for v in values]
        columns.append(values)
    quoted = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in names)
    marks = ", ".join("?" * len(names))
    sql = f'INSERT INTO "{model._meta.table_name}" ({quoted}) VALUES ({marks})'
    connection = database.connection()  # type: ignore[no-untyped-call]
    connection.executemany(sql, zip(*columns, strict=True))


def _write_in_bulk(sample: _Sample, report: Progress) -> None:
    """Bulk inserts, one history row ("create" by Sample data) per record."""
    with database.atomic():
        report("Organisation")
        Setting.insert(key=records.USER_NAME_KEY, value=sample.user_name).on_conflict_replace(
        ).execute()
        for model, rows in sample.rows.items():
            if not rows:
                continue
            if model is not Organisation:
                report(_label(model))
            # In id order, so the primary-key index is appended to rather than split.
            _insert(model, sorted(rows, key=lambda row: row["id"]))
        report("Change history")
        history = [
            {"changed_at": row["created_at"], "changed_by": SAMPLE_AUTHOR,
             "table_name": model._meta.table_name, "record_id": row["id"],
             "operation": "create", "changes": "{}"}
            for model, rows in sample.rows.items()
            for row in rows
        ]
        history.sort(key=lambda row: row["changed_at"])
        _insert(ChangeHistory, history)


# --- The firm both sizes share -----------------------------------------------------------------

SITES = (
    ("Northbank Works", "Unit 4, Ballycoolin Business Park, Blanchardstown, Dublin 15, D15 XK72"),
    ("Finishing & Dispatch, Maynooth", "Unit 12, Kilcock Road Industrial Estate, Maynooth, "
     "Co. Kildare, W23 F6P8"),
)

# key, name, job title, site index, roles, days since leaving (None: still here)
PEOPLE: tuple[tuple[str, str, str, int, tuple[str, ...], int | None], ...] = (
    ("md", "Siobhán Gallagher", "Managing Director", 0, ("Managing Director",), None),
    ("od", "Declan O'Rourke", "Operations Director", 0, ("Operations Director",), None),
    ("qm", "Zoë Lindqvist", "Quality Manager", 0, ("Quality Manager", "Internal Auditor"), None),
    ("ps", "Łukasz Wiśniewski", "Production Supervisor", 0, ("Production Supervisor",), None),
    ("eng", "Søren Madsen", "Engineering Manager", 0, ("Engineering Manager",), None),
    ("mnt", "Pavel Dvořák", "Maintenance Lead", 0, ("Maintenance Lead",), None),
    ("pur", "Lucía Ñuñez", "Purchasing & Supply Chain Coordinator", 0,
     ("Purchasing Coordinator",), None),
    ("sal", "Aoife Brennan", "Sales & Customer Service Manager", 0, ("Sales Manager",), None),
    ("qi1", "Priya Raghunathan", "Quality Inspector", 0,
     ("Quality Inspector", "Internal Auditor"), None),
    ("op1", "Tomasz Kowalczyk", "CNC Machinist", 0, ("Machine Operator",), None),
    ("op2", "Ciarán Doyle", "CNC Setter-Operator", 0, ("Machine Operator",), None),
    ("wd1", "Adebayo Okonkwo", "Fabrication Welder", 0, ("Welder",), None),
    ("op3", "Mehmet Yılmaz", "CNC Machinist", 0, ("Machine Operator",), None),
    ("hr", "Niamh Fitzgerald", "HR & Training Coordinator", 0,
     ("HR & Training Coordinator",), None),
    ("qi2", "Jürgen Hoffmann", "Quality Inspector (CMM Programmer)", 0,
     ("Quality Inspector", "Internal Auditor"), None),
    ("fin", "Ana-Maria Popescu", "Finance & Office Administrator", 0, (), None),
    ("dsp", "Rory McAllister", "Dispatch & Stores Operative", 1, ("Stores & Dispatch",), None),
    ("me", "Chen Wei", "Manufacturing Engineer", 0, ("Internal Auditor",), None),
    ("est", "Fionnuala Byrne", "Sales Estimator", 0, (), None),
    ("wd2", "João Ferreira", "Fabrication Welder", 0, ("Welder",), None),
    ("mt2", "Seán Kavanagh", "Maintenance Technician", 0, (), None),
    ("asm", "Oksana Melnyk", "Assembly Operative", 1, (), None),
    ("app", "Darragh Walsh", "Apprentice Machinist", 0, ("Machine Operator",), None),
    ("fns", "Kateřina Nováková", "Deburr & Finishing Operative", 1, (), None),
    ("gin", "Hamza Qureshi", "Stores & Goods-In Operative", 1, ("Stores & Dispatch",), None),
    ("qi0", "Brendan Hughes", "Quality Inspector", 0, (), 240),
    ("pa0", "Marta Zielińska", "Purchasing Assistant", 0, (), 450),
)

# title, top management, description, authorities
ROLES: tuple[tuple[str, bool, str, str], ...] = (
    ("Managing Director", True,
     "Leads the business and is accountable for the quality management system.",
     "Approves the quality policy, objectives and budgets; chairs the management review; "
     "signs off major nonconformities and customer concessions."),
    ("Operations Director", True,
     "Runs production, purchasing, maintenance and dispatch day to day.",
     "Approves capital spend up to EUR 25,000, overtime and subcontracting; stops production "
     "when product conformity is at risk."),
    ("Quality Manager", False,
     "Keeps the quality management system working and reports on its performance.",
     "Releases or rejects product; raises nonconformities and corrective actions; manages the "
     "internal audit programme; reports to top management on QMS performance."),
    ("Production Supervisor", False,
     "Plans and supervises machining, fabrication and assembly on each shift.",
     "Allocates work and people; quarantines suspect product; approves first-off inspections."),
    ("Engineering Manager", False,
     "Owns design, drawings, CNC programs and process changes.",
     "Approves drawings, programs and engineering changes; authorises deviations with the "
     "customer's agreement."),
    ("Maintenance Lead", False,
     "Keeps machines and equipment safe and available.",
     "Takes equipment out of service; approves preventive maintenance schedules and spares."),
    ("Purchasing Coordinator", False,
     "Buys material and services from approved suppliers.",
     "Places purchase orders within budget; approves and suspends suppliers with Quality."),
    ("Sales Manager", False,
     "Handles enquiries, quotations, orders and the customer relationship.",
     "Accepts orders after contract review; agrees delivery dates; handles complaints."),
    ("HR & Training Coordinator", False,
     "Looks after recruitment, induction, training records and the skills matrix.",
     "Books training within the agreed plan; keeps competence records."),
    ("Internal Auditor", False,
     "Audits processes other than their own against the audit programme.",
     "Access to all areas and records for the audit; raises findings."),
    ("Quality Inspector", False,
     "Inspects and measures product at first-off, in process and before dispatch.",
     "Passes or rejects product; labels and quarantines nonconforming parts."),
    ("Machine Operator", False,
     "Sets and runs CNC machines to the job traveller and work instructions.",
     "Stops the machine when parts are out of tolerance."),
    ("Welder", False,
     "Welds fabrications to the approved welding procedure specifications.",
     "Works only to procedures covered by a current qualification."),
    ("Stores & Dispatch", False,
     "Receives, stores, packs and ships material and finished parts.",
     "Refuses deliveries without certificates; releases shipments after final inspection."),
)

# key, name, owner key, inputs, outputs
PROCESSES: tuple[tuple[str, str, str, str, str], ...] = (
    ("sales", "Sales & quoting", "sal",
     "Customer enquiries, drawings and specifications, framework agreements, capacity plan",
     "Quotations, reviewed and acknowledged orders, agreed delivery dates, complaint records"),
    ("design", "Design & engineering", "eng",
     "Accepted orders, customer drawings and 3D models, design requests, feedback from the floor",
     "Approved drawings, CNC programs, routings, inspection plans, engineering change notes"),
    ("purchasing", "Purchasing", "pur",
     "Material requirements, approved supplier list, routings needing subcontract finishing",
     "Purchase orders, supplier evaluations, received material with certificates"),
    ("production", "Production (CNC machining & fabrication)", "ps",
     "Job travellers, programs, released material, work instructions, trained operators",
     "Machined and fabricated parts, completed travellers, first-off records, scrap records"),
    ("inspection", "Inspection & test", "qm",
     "Parts from production, inspection plans, calibrated equipment, customer requirements",
     "Inspection reports, certificates of conformity, released or quarantined product"),
    ("dispatch", "Dispatch & delivery", "od",
     "Released parts, packing specifications, customer delivery schedules",
     "Packed and labelled shipments, delivery notes, proof of delivery, on-time delivery data"),
    ("maintenance", "Maintenance", "mnt",
     "Machine manuals, preventive maintenance schedule, breakdown calls, spares stock",
     "Available machines, maintenance records, downtime data, machine capability results"),
    ("hr", "HR & training", "hr",
     "Staffing plan, job descriptions, skills matrix, training requests and appraisals",
     "Recruited and inducted staff, training records, updated skills matrix, qualifications"),
)

POLICY_V1 = """Northbank Precision Components makes precision parts to our customers' drawings.

We will meet our customers' requirements and the law, deliver on time, and keep improving the \
way we work. We will set quality objectives every year and check them at our management \
review. Everyone at Northbank is responsible for the quality of their own work.

Signed by the Managing Director and displayed on the notice board."""

POLICY_V2 = """Northbank Precision Components makes machined and fabricated metal parts that our \
customers build into pumps, valves, machines and vehicles. Their products depend on our parts \
being right first time and arriving when promised, and this policy sets out how we make sure \
of that.

We commit to:
- understand and meet every requirement our customers give us, together with the laws and \
regulations that apply to our products and our sites;
- set measurable quality objectives each year, linked to this policy and to our business plan, \
and check progress against them every month;
- find and fix the causes of problems rather than only their symptoms, and learn from every \
complaint, nonconformity and audit finding;
- choose suppliers who can meet our standards and work with them to improve;
- give our people the training, equipment and time they need to do good work, and listen to \
their ideas;
- continually improve our quality management system, our processes and our products.

The Managing Director owns this policy and reviews it at each management review. It is \
displayed at both sites, explained at induction, and available to customers and other \
interested parties on request."""

POLICY_V3 = POLICY_V2.replace(
    "- continually improve our quality management system, our processes and our products.",
    "- continually improve our quality management system, our processes and our products;\n"
    "- build a culture where anyone can stop a job, raise a concern or admit a mistake without "
    "blame, and where we deal honestly with customers and suppliers;\n"
    "- plan for the effects of a changing climate on our sites, our supply chain and our "
    "customers, and cut the energy and material we waste.",
) + "\n\nDraft for the next management review: adds culture, ethics and climate commitments."

SCOPE_TEXT = """The design and manufacture of precision machined and fabricated components in \
aluminium, carbon steel and stainless steel, to customer drawings, for industrial equipment \
makers in Ireland, the UK and the EU.

Sites: Northbank Works, Ballycoolin, Dublin 15 (sales, engineering, machining, fabrication, \
inspection) and the finishing and dispatch unit at Kilcock Road, Maynooth.

All requirements of ISO 9001 apply. Surface treatments (anodising, plating, painting) are \
bought in and controlled through the purchasing process."""


def _ascii(text: str) -> str:
    special = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "ı": "i",
               "đ": "d", "ð": "d", "þ": "th"}
    text = "".join(special.get(c, c) for c in text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def _email(name: str, taken: set[str]) -> str:
    parts = name.split()
    local = _ascii(f"{parts[0]}.{parts[-1]}")
    candidate, n = local, 2
    while candidate in taken:
        candidate, n = f"{local}{n}", n + 1
    taken.add(candidate)
    return f"{candidate}@{DOMAIN}"


def _build_core(s: _Sample, founded: dt.date) -> set[str]:
    """Organisation, sites, the named people, roles, processes and controlled documents."""
    start = s.at(founded, 9, 11)
    s.add(Organisation, start, name=COMPANY, currency="EUR", edition="2015",
          review_interval_months=12, risk_matrix_size=5)
    sites = [s.add(Site, start, name=name, address=address) for name, address in SITES]
    roles = {title: s.add(Role, start, title=title, description=description,
                          authorities=authorities, is_top_management=top)
             for title, top, description, authorities in ROLES}
    s.roles = roles
    emails: set[str] = set()
    for key, name, title, site, held, left_days in PEOPLE:
        left_on = s.today - _days(left_days) if left_days else None
        person = s.add(Person, start, full_name=name, job_title=title, site=sites[site],
                       email=_email(name, emails), active=left_on is None, left_on=left_on)
        s.people[key], s.names[person] = person, name
        for role in held:
            s.add(PersonRole, start, person=person, role=roles[role])
    s.user_name = s.names[s.people["qm"]]
    for key, name, owner, inputs, outputs in PROCESSES:
        s.processes[key] = s.add(Process, start, name=name, owner=s.people[owner],
                                 inputs=inputs, outputs=outputs)
        s.owners[key] = s.people[owner]
    md, qm = s.people["md"], s.people["qm"]
    policy = s.add(Document, start, kind="policy", reference="QP-01", title="Quality policy",
                   owner=md)
    v2_day = s.today - _days(430)
    s.add(DocumentVersion, start, document=policy, number=1, status="superseded",
          body=POLICY_V1, approved_by=md, approved_at=s.at(founded + _days(6)))
    s.add(DocumentVersion, s.at(v2_day - _days(12)), document=policy, number=2,
          status="approved", body=POLICY_V2, approved_by=md, approved_at=s.at(v2_day))
    s.add(DocumentVersion, s.at(s.today - _days(20)), document=policy, number=3,
          status="draft", body=POLICY_V3)
    scope = s.add(Document, start, kind="scope", reference="QMS-02", title="QMS scope",
                  owner=qm)
    s.add(DocumentVersion, start, document=scope, number=1, status="approved",
          body=SCOPE_TEXT, approved_by=md, approved_at=s.at(founded + _days(6)))
    return emails


# --- The small company's records ------------------------------------------------------------

# kind, process, owner, title, description, L, I, treatment, residual L, I, effectiveness,
# actions (title, fate)
RISKS: tuple[tuple[Any, ...], ...] = (
    ("risk", "purchasing", "pur", "Single stockist for certified 6082-T6 aluminium bar",
     "Only one approved stockist holds the certified bar used for the Hydraflow manifold "
     "family. A stock-out or quality problem there would stop three customer programmes.",
     4, 4, "Reduce likelihood", 2, 4, "Effective",
     (("Approve a second stockist for 6082-T6 bar after a trial order", "done"),
      ("Agree four weeks' safety stock of the three most used bar sizes", "done"))),
    ("risk", "maintenance", "mnt", "Breakdown of the 5-axis machining centre (DMU 65)",
     "The DMU 65 is the only 5-axis machine; a spindle or control failure would delay every "
     "complex part for weeks while parts are shipped from Germany.",
     3, 5, "Reduce impact", 2, 4, "Partly effective",
     (("Price a service contract with four-hour response for the DMU 65", "overdue"),
      ("Qualify a subcontractor for 5-axis overflow work", "open"))),
    ("risk", "inspection", "qm", "Measuring equipment used out of calibration",
     "A gauge or the CMM used past its calibration date could pass parts that are out of "
     "tolerance, leading to escapes to the customer.",
     2, 5, "Reduce likelihood", 1, 4, "Effective",
     (("Label every gauge with its calibration due date and check weekly", "done"),)),
    ("risk", "sales", "sal", "Order accepted against a superseded drawing revision",
     "Customers sometimes send revised drawings separately from the purchase order; making "
     "parts to the old revision means scrap and late delivery.",
     3, 4, "Reduce likelihood", 2, 3, "Effective", ()),
    ("risk", "design", "eng", "Engineering change not reaching the shop floor",
     "A change to a program or drawing may not reach the traveller and the operator, so old "
     "and new versions are both in use.",
     3, 4, "Remove the source", 1, 4, "Not yet assessed",
     (("Move shop-floor drawings to the tablet viewer and withdraw paper copies", "moved"),)),
    ("risk", "dispatch", "od", "Parts damaged or corroded in transit",
     "Machined faces and mild steel parts can be damaged or rust on long journeys if packed "
     "without protection.",
     3, 3, "Reduce likelihood", 2, 2, "Effective", ()),
    ("risk", "hr", "hr", "Welding qualifications lapse unnoticed",
     "Coded welder certificates expire every two years; welding on a lapsed certificate "
     "breaks customer requirements.",
     2, 4, "Reduce likelihood", 1, 3, "Effective", ()),
    ("risk", "production", "ps", "Coolant contamination spoils surface finish",
     "Tramp oil and bacteria in the coolant sumps cause staining and poor surface finish on "
     "aluminium parts.",
     3, 2, "Reduce likelihood", 2, 2, "Effective",
     (("Weekly coolant concentration and pH checks on every machine", "done"),)),
    ("risk", "purchasing", "pur", "Energy and material price rises on fixed-price contracts",
     "Long fixed-price agreements with two customers leave no room when steel and electricity "
     "prices rise.",
     4, 3, "Share", 3, 2, "Partly effective",
     (("Add a material surcharge clause to framework agreements at renewal", "week"),)),
    ("risk", "production", "ps", "Summer heat affects dimensional stability",
     "Climate change: on the hottest days the machine shop passes 30 °C and tight-tolerance "
     "bores drift between first-off and last-off.",
     2, 3, "Reduce impact", 1, 3, "Not yet assessed",
     (("Get quotes for shading and extraction fans on the south wall", "open"),)),
    ("risk", "inspection", "qi1", "Counterfeit or wrongly certified material",
     "Material from a new or brokered source may carry certificates that do not match the "
     "material, which would only be found by the customer.",
     2, 5, "Reduce likelihood", 1, 4, "Effective", ()),
    ("risk", "production", "ps", "Knowledge held by one CNC programmer",
     "Most 5-axis programs were written by one person; their absence would stop new work "
     "being programmed.",
     3, 4, "Reduce impact", 2, 3, "Partly effective",
     (("Train a second programmer on the CAM system", "late"),)),
    ("opportunity", "sales", "sal", "Medical device customers asking for quotes",
     "Two enquiries from medical device makers this year; the work fits our 5-axis capability "
     "and pays better than general engineering.",
     3, 4, "Pursue", None, None, "",
     (("Visit both enquirers and report their requirements", "done"),)),
    ("opportunity", "production", "ps", "Lights-out machining on the pallet changer",
     "The new pallet changer on the Mazak could run unmanned overnight for repeat parts.",
     3, 4, "Pursue", None, None, "",
     (("Trial unmanned running on two repeat parts for a month", "week"),)),
    ("opportunity", "design", "eng", "Offer design-for-manufacture reviews",
     "Customers welcome early advice that takes cost out of their designs; it wins work "
     "before it goes out to tender.",
     4, 3, "Pursue", None, None, "", ()),
    ("opportunity", "hr", "hr", "Apprenticeship partnership with the local ETB",
     "The education and training board offers funded places for machinist apprentices.",
     4, 2, "Pursue", None, None, "", ()),
)

# key, title, policy commitment, process, owner, plan, resources, due (months), evaluation,
# status, actions (title, fate)
OBJECTIVES: tuple[tuple[Any, ...], ...] = (
    ("otd", "Deliver at least 96% of order lines on or before the promised date",
     "Meet customer requirements", "dispatch", "od",
     "Weekly capacity meeting between sales and production; promise dates from the "
     "finite-capacity plan only; chase late supplier deliveries two days before they are due.",
     "Planning module for the ERP (EUR 6,500); two hours a week of supervisor time.",
     7, "Monthly on-time delivery figure from dispatch records against the promised date.",
     "on_track", (("Configure finite-capacity planning in the ERP", "done"),)),
    ("complaints", "No more than 2 customer complaints a month by year end",
     "Meet customer requirements", "sales", "sal",
     "Analyse every complaint by cause each month; run 8D on repeat causes; share the results "
     "at the monthly quality meeting.",
     "Quality Manager's time; 8D training for four team leaders.",
     7, "Complaints logged per calendar month; twelve-month rolling average.",
     "at_risk", (("Run 8D training for the four team leaders", "overdue"),)),
    ("scrap", "Bring scrap below 1.5% of production value",
     "Continual improvement", "production", "ps",
     "Scrap bins split by reason; Pareto of scrap reasons each month; first-off inspection on "
     "every set-up; tool-life limits in the programs.",
     "Tool-life monitoring option for the Mazak (EUR 3,200).",
     5, "Scrap value from the scrap log divided by production value for the month.",
     "on_track", (("Fit tool-life monitoring to the Mazak", "week"),)),
    ("fpy", "Raise first-pass yield at final inspection to 98%",
     "Continual improvement", "inspection", "qm",
     "Move checks upstream to the machine with in-process gauging; feedback of every reject to "
     "the operator within the shift.",
     "Two bore gauges and a thread gauge set for the cells (EUR 2,400).",
     -2, "Batches passed first time divided by batches presented to final inspection.",
     "achieved", ()),
    ("uptime", "Keep unplanned downtime below 3% of planned machine hours",
     "Provide the resources people need", "maintenance", "mnt",
     "Preventive maintenance plan for every machine; critical spares list; weekly review of "
     "breakdowns with production.",
     "Critical spares budget of EUR 8,000 a year.",
     10, "Unplanned downtime hours from the maintenance log against planned machine hours.",
     "on_track", (("Agree the critical spares list with the machine suppliers", "open"),)),
    ("suppliers", "Suppliers deliver 95% of orders on time and in full",
     "Work with reliable suppliers", "purchasing", "pur",
     "Quarterly scorecards to the top ten suppliers; review meetings with any supplier below "
     "90%; second sources for single-source items.",
     "Purchasing Coordinator's time; travel for two supplier visits.",
     10, "Purchase order lines received on time and in full against the confirmed date.",
     "planned", ()),
)

# key, name, unit, direction, target, warning, failure, process, owner, objective,
# start value, end value, spread, decimals, failed months (0..35), missing months
KPIS: tuple[tuple[Any, ...], ...] = (
    ("otd", "On-time delivery", "%", "higher", 96.0, 93.0, 90.0, "dispatch", "od", "otd",
     91.5, 95.5, 1.4, 1, (9, 10), ()),
    ("complaints", "Customer complaints", "per month", "lower", 2.0, 3.0, 5.0, "sales", "sal",
     "complaints", 3.5, 2.4, 1.1, 0, (14, 33), ()),
    ("scrap", "Scrap rate", "% of production value", "lower", 1.5, 2.0, 2.5, "production",
     "ps", "scrap", 2.3, 1.6, 0.25, 2, (21,), (17,)),
    ("fpy", "First-pass yield at final inspection", "%", "higher", 98.0, 96.5, 95.0,
     "inspection", "qm", "fpy", 95.8, 98.3, 0.6, 1, (26,), ()),
    ("downtime", "Unplanned machine downtime", "% of planned hours", "lower", 3.0, 4.0, 5.0,
     "maintenance", "mnt", "uptime", 4.2, 2.8, 0.6, 1, (34,), ()),
    ("pm", "Preventive maintenance done on time", "%", "higher", 95.0, 90.0, 85.0,
     "maintenance", "mnt", "uptime", 88.0, 96.0, 3.0, 0, (), (29,)),
    ("otif", "Supplier on time in full", "%", "higher", 95.0, 92.0, 88.0, "purchasing", "pur",
     "suppliers", 89.0, 93.0, 2.0, 1, (), (34,)),
    ("training", "Training plan completion (rolling 12 months)", "%", "higher", 90.0, 80.0, 70.0,
     "hr", "hr", None, 75.0, 92.0, 4.0, 0, (), ()),
)

FAILURE_COMMENTS = (
    "Below the failure threshold; raised for discussion at the monthly quality meeting.",
    "Two large batches rejected in the same week pulled the figure down; see the NC log.",
    "Holiday shutdown and a machine breakdown in the same month.",
    "One customer schedule pulled forward at short notice.",
)

# days ago, source, process, severity, status, title, description, actions (title, fate,
# evidence)
NONCONFORMITIES: tuple[tuple[Any, ...], ...] = (
    (700, "complaint", "production", "minor", "closed",
     "Burrs left on cross-drilled holes – valve body VB-118",
     "Hydraflow Systems returned 40 valve bodies with burrs where the cross-drilled ports meet. "
     "Parts were deburred and sent back within 48 hours.",
     (("Add a cross-hole burr check to the final inspection sheet for VB-118", "done",
       "Inspection sheet IS-118 rev C issued; inspectors briefed."),
      ("Buy back-deburring tools for the CNC cell and train the operators", "done",
       "Tools in use since week 14; training recorded for five operators."))),
    (660, "internal", "inspection", "minor", "closed",
     "Height gauge used after its calibration due date",
     "Height gauge HG-03 was in use two weeks past its calibration date. Parts measured with it "
     "were re-checked; none were out of tolerance.",
     (("Add a weekly calibration-label check to the inspection start-up list", "done",
       "Checklist CL-07 rev B in use; four weekly checks sampled, all signed."),)),
    (610, "supplier", "purchasing", "major", "closed",
     "Wrong stainless grade delivered – 1.4301 instead of 1.4404",
     "Goods-in found the mill certificate showed 1.4301 against an order for 1.4404 bar. The "
     "batch was quarantined before use; the stockist credited it and replaced it.",
     (("Raise a corrective action request with the stockist and review its approval", "done",
       "Supplier 8D received and accepted; supplier kept on probation for six months."),
      ("Add a certificate-against-order check with sign-off at goods-in", "done",
       "Goods-in procedure GI-02 rev D issued."))),
    (560, "kpi", "dispatch", "minor", "closed",
     "On-time delivery below 90% in two consecutive months",
     "On-time delivery fell to 88.7% and 89.4% after two large orders were promised without "
     "checking capacity.",
     (("Start a weekly capacity review between sales and production", "done",
       "Meeting held weekly since March; minutes on the shared drive."),)),
    (520, "complaint", "sales", "minor", "closed",
     "Order made to a superseded drawing revision – bracket BR-552",
     "120 brackets were made to revision B while the purchase order referred to revision C "
     "(hole moved by 4 mm). The batch was scrapped and remade at our cost.",
     (("Add a drawing-revision check to the order acknowledgement", "done",
       "Acknowledgement template now has a drawing number and revision field."),
      ("Brief sales and planning staff on contract review", "late",
       "Briefing held; attendance sheet signed by six people."))),
    (480, "internal", "maintenance", "minor", "closed",
     "Preventive maintenance on the press brake missed for three months",
     "The press brake was left off the maintenance schedule when the plan moved to the new "
     "spreadsheet.",
     (("Reconcile the maintenance plan against the asset register", "done",
       "All 23 assets now on the plan; reconciliation signed by the Maintenance Lead."),)),
    (430, "internal", "hr", "minor", "closed",
     "Welder qualification certificate lapsed",
     "One welder's coded certificate had lapsed for three weeks; two jobs were welded in that "
     "time. The welds were dye-penetrant tested with no defects.",
     (("Set up a skills matrix with expiry dates and review it monthly", "done",
       "Skills matrix in the HR folder; monthly review in the HR calendar."),)),
    (400, "complaint", "dispatch", "minor", "closed",
     "Mild steel flanges corroded in transit",
     "A shipment of 60 mild steel flanges to Poland arrived with surface rust after ten days in "
     "transit.",
     (("Specify VCI bags and desiccant for export shipments of mild steel", "done",
       "Packing specification PS-04 updated; first three export shipments checked."),)),
    (350, "internal", "design", "minor", "closed",
     "Tolerance stack-up not checked after a customer assembly change",
     "A revised mating part from the customer left 0.05 mm interference; found at first-off "
     "before any parts shipped.",
     (("Add a stack-up check to the engineering change checklist", "done",
       "Checklist EC-01 rev B issued."),)),
    (300, "kpi", "production", "major", "closed",
     "Scrap at 3.4% in one month – thread form rejects on M12 fine threads",
     "A worn thread mill produced out-of-tolerance threads on three batches before the "
     "in-process gauge check caught it.",
     (("Set tool-life limits for thread mills in the programs", "done",
       "Limits set in 14 programs; no thread rejects in the following quarter."),
      ("Add a go/no-go thread gauge check every 20 parts", "done",
       "Work instruction WI-PRD-11 rev C."))),
    (250, "supplier", "purchasing", "minor", "closed",
     "Uneven colour on anodised covers from the finishing supplier",
     "Thirty black-anodised covers showed visible colour variation; the customer accepted "
     "them under concession.",
     (("Agree colour limit samples with the anodising supplier", "done",
       "Signed limit samples held at goods-in and at the supplier."),)),
    (200, "complaint", "inspection", "major", "action",
     "Undersize bore escaped final inspection – 12 pump housings",
     "Kestrel Pumps found 12 housings with the 42H7 bore 0.02 mm undersize. Final inspection "
     "had checked 2 parts per batch instead of the 5 on the inspection plan.",
     (("Replace and sort the customer's stock of pump housings", "done",
       "Customer stock sorted on site; 12 housings replaced within the week."),
      ("Review sample sizes on all inspection plans against customer requirements", "overdue",
       ""),
      ("Fit an air gauge for the 42H7 bore at the machine", "moved", ""))),
    (150, "internal", "production", "minor", "action",
     "Travellers not signed off at each operation",
     "Found during a floor walk: 7 of 20 travellers in the machine shop had operations "
     "completed without sign-off.",
     (("Retrain operators on traveller sign-off and check weekly for a month", "overdue", ""),)),
    (110, "complaint", "sales", "minor", "action",
     "Delivery sent to the customer's old warehouse",
     "A shipment for Marlow Engineering went to the address they left last year; the customer "
     "had told sales by e-mail but the ERP was not updated.",
     (("Cleanse customer delivery addresses in the ERP", "done",
       "All 64 active customers checked and confirmed."),
      ("Add address confirmation to the order acknowledgement", "week", ""))),
    (75, "supplier", "purchasing", "minor", "action",
     "Late laser-cut blanks stopped the fabrication cell for two days",
     "The laser-cutting subcontractor delivered four days late without warning; two welders "
     "were moved to other work.",
     (("Hold a review meeting with the laser-cutting subcontractor", "overdue", ""),
      ("Qualify a second laser-cutting subcontractor", "open", ""))),
    (40, "kpi", "maintenance", "minor", "action",
     "Unplanned downtime at 6.1% – spindle bearing failure on the DMU 65",
     "The spindle bearing failed after a crash; the machine was down for nine working days "
     "while the spindle was rebuilt.",
     (("Install crash-protection software on the DMU 65 control", "week", ""),
      ("Add spindle vibration checks to the monthly maintenance", "open", ""))),
    (18, "internal", "hr", "minor", "open",
     "Induction not recorded for two agency operators",
     "Two agency operators started on nights without an induction record; they confirm they "
     "were shown round but the quality induction was not done.",
     (("Give both agency operators the quality induction and record it", "week", ""),)),
    (6, "complaint", "dispatch", "minor", "open",
     "Packing list missing from shipment to Kestrel Pumps",
     "Goods-in at Kestrel Pumps could not book in a delivery because no packing list was in "
     "the box.",
     ()),
)

# process, clause, auditor key, questions (clause, question, conforming note)
AUDIT_QUESTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "sales": (
        ("8.2.2", "Are customer requirements, including implied ones, determined before a "
         "quotation is sent?", "Five recent quotations sampled; each had an enquiry review."),
        ("8.2.3", "Is each order reviewed against the quotation before acceptance?",
         "Six order acknowledgements checked against their quotations; all matched."),
        ("8.2.4", "When an order changes, are changes recorded and passed to planning?",
         "Two changed orders traced to updated travellers."),
        ("9.1.2", "Is customer satisfaction monitored and acted upon?",
         "Annual survey results and complaint trend reviewed at the last management review."),
        ("8.2.1", "Do customers know how to give feedback and raise complaints?",
         "Complaint route is on the order acknowledgement and the website."),
    ),
    "design": (
        ("8.3.2", "Are design stages, reviews and responsibilities planned?",
         "Project plan for the HM-300 manifold shows review gates and owners."),
        ("8.3.4", "Are design outputs verified against the inputs before release?",
         "Verification records seen for three released drawings."),
        ("8.3.6", "Are design changes reviewed, approved and recorded?",
         "Engineering change notes numbered and approved."),
        ("7.5.3", "Are only current drawings and programs available at the point of use?",
         "Program directory on the DNC server checked; only released versions present."),
        ("8.3.3", "Are design inputs complete, including legal and customer requirements?",
         "Inputs checklist used for new projects."),
    ),
    "purchasing": (
        ("8.4.1", "Are suppliers evaluated and approved before use?",
         "Approved supplier list current and reviewed in January."),
        ("8.4.3", "Do purchase orders state the requirements, including certificates?",
         "Ten purchase orders sampled; all stated material grade and certificate type."),
        ("8.4.2", "Is purchased product verified before use?",
         "Goods-in records signed for all sampled deliveries."),
        ("8.4.1", "Is supplier performance monitored and fed back?",
         "Quarterly scorecards sent to the top ten suppliers."),
        ("8.4.2", "Are outsourced processes (anodising, plating) controlled?",
         "Finishing suppliers audited within the last two years."),
    ),
    "production": (
        ("8.5.1", "Are current work instructions available at each workstation?",
         "Instructions at the Mazak and DMU cells were current."),
        ("8.5.1", "Is a first-off inspection done and recorded after each set-up?",
         "First-off records present for all jobs running on the day."),
        ("8.5.2", "Can finished parts be traced to material batch and operator?",
         "Two finished batches traced back to mill certificates."),
        ("8.7", "Is nonconforming product identified and kept apart?",
         "Red quarantine area in use and labelled."),
        ("8.5.4", "Are parts protected between operations?",
         "Parts stored in lined crates between operations."),
        ("7.1.4", "Is the working environment suitable for the work done?",
         "Lighting and housekeeping good in all areas seen."),
    ),
    "inspection": (
        ("7.1.5", "Is measuring equipment calibrated and identified with its status?",
         "All gauges sampled carried current calibration labels."),
        ("8.6", "Are release records kept showing who released the product?",
         "Release stamps and signatures on the sampled inspection reports."),
        ("8.6", "Are inspection plans followed, including sample sizes?",
         "Sample sizes on three jobs matched the inspection plan."),
        ("7.1.5", "Is action taken when equipment is found out of calibration?",
         "Out-of-tolerance calibration result last year investigated and recorded."),
        ("8.7", "Are concessions agreed with the customer and recorded?",
         "Two concessions on file, both signed by the customer."),
    ),
    "dispatch": (
        ("8.5.4", "Are parts packed to the customer's packing specification?",
         "Three shipments checked against their specifications."),
        ("8.6", "Is product released by inspection before it is shipped?",
         "No shipment left without a signed certificate of conformity."),
        ("8.5.2", "Are shipments labelled so the customer can identify them?",
         "Labels carry part number, revision, quantity and batch."),
        ("8.5.5", "Are delivery records kept with proof of delivery?",
         "Proof of delivery filed for all sampled shipments."),
        ("9.1.1", "Is on-time delivery measured against the promised date?",
         "Monthly on-time figures match the dispatch log."),
    ),
    "maintenance": (
        ("7.1.3", "Does every machine have a preventive maintenance plan?",
         "All 23 assets on the plan."),
        ("7.1.3", "Are breakdowns recorded and their causes analysed?",
         "Breakdown log shows cause and repair for each event."),
        ("7.1.3", "Are critical spares identified and held?",
         "Spares cage stocked against the list."),
        ("7.1.5", "Are machine capability or accuracy checks done and recorded?",
         "Ballbar tests on both machining centres within the last year."),
        ("7.1.3", "Is maintenance completed on the planned dates?",
         "Most tasks completed within the planned week."),
    ),
    "hr": (
        ("7.2", "Are competence requirements defined for each role?",
         "Role profiles held for all production roles."),
        ("7.2", "Are training records kept and complete?",
         "Training records complete for the eight people sampled."),
        ("7.3", "Do people know the quality policy and how they contribute?",
         "Operators asked on the floor could describe their part in quality."),
        ("7.2", "Is the effectiveness of training evaluated?",
         "Supervisor sign-off after training seen on the records."),
        ("7.1.6", "Is knowledge needed for the processes kept and shared?",
         "Setting sheets and lessons learned kept with each program."),
    ),
}

# process, auditor key, days ago, special findings: question index -> (outcome, notes,
# nonconformity (title, severity, fate of its action, action) or None,
# action on the finding (title, fate) or None)
AUDITS: tuple[tuple[Any, ...], ...] = (
    ("sales", "qi2", 335, {
        0: ("opportunity", "Quotations could state the lead-time assumptions so customers see "
            "what the promise date depends on.", None,
            ("Add lead-time assumptions to the quotation template", "done")),
    }),
    ("purchasing", "qm", 290, {
        0: ("minor", "Two subcontract finishers used in the spring had no approval record.",
            ("Subcontract finishers used without approval", "closed",
             ("Approve or stop using the two unrecorded finishers", "done")), None),
        3: ("observation", "Scorecards are sent but replies are not followed up.", None, None),
    }),
    ("production", "qi1", 250, {
        0: ("minor", "The work instruction at the band saw was revision B; revision D is "
            "current.", ("Out-of-date work instruction at the band saw", "closed",
                         ("Check every workstation for current instructions", "done")), None),
        3: ("observation", "Scrap bins are not separated by reason, so the scrap Pareto relies "
            "on memory.", None, ("Provide scrap bins split by reason code", "done")),
    }),
    ("inspection", "me", 205, {
        1: ("major", "Final inspection records were missing for three of ten sampled batches "
            "that had been shipped.", ("Final inspection records missing for shipped batches",
                                      "closed", ("Make the inspection report a condition of "
                                                 "printing the delivery note", "late")), None),
    }),
    ("design", "qm", 160, {
        4: ("not_applicable", "No new product designs started in the period.", None, None),
        3: ("observation", "Two old program versions were still in an operator's USB stick.",
            None, ("Disable USB ports on the machine controls", "overdue")),
    }),
    ("dispatch", "qi2", 120, {
        0: ("opportunity", "A photo of each packed crate would settle transit damage claims "
            "quickly.", None, ("Photograph packed crates before they leave", "done")),
    }),
    ("maintenance", "qm", 75, {
        2: ("observation", "The critical spares list has not been updated since the DMU 65 "
            "upgrade.", None, ("Update the critical spares list for the DMU 65", "overdue")),
    }),
    ("hr", "qi1", 35, {
        2: ("minor", "Two operators on nights could not say where to find the quality policy.",
            ("Night-shift operators unaware of the quality policy", "action",
             ("Brief the night shift on the policy and objectives", "week")), None),
        1: ("opportunity", "Training records could show the date of the effectiveness check.",
            None, None),
    }),
)

# process, auditor key, days ahead
PLANNED_AUDITS = (("sales", "qi1", 20), ("production", "qm", 55), ("purchasing", "me", 110),
                  ("inspection", "qi2", 150))

# days ago, status, actions (title, fate, evidence)
REVIEWS: tuple[tuple[Any, ...], ...] = (
    (700, "closed", (
        ("Fund a second CMM probe head so the CMM is not down during probe repairs", "done",
         "Probe head delivered and calibrated."),
        ("Set company objectives for scrap and first-pass yield", "done",
         "Objectives approved and published on the notice boards."),
        ("Review the internal audit programme so every process is audited each year", "done",
         "Programme approved with eight audits a year."),
    )),
    (335, "closed", (
        ("Approve a second stockist for certified aluminium bar", "late",
         "Second stockist approved after a successful trial order."),
        ("Extend preventive maintenance to Saturday mornings for the machining centres",
         "moved", ""),
        ("Update the quality policy for the new edition of ISO 9001", "overdue", ""),
    )),
    (-30, "planned", ()),
)


def _build_small(s: _Sample) -> None:
    rng, today = s.rng, s.today
    first_period = _add_months(today, -36)
    _build_core(s, first_period - _days(20))
    p = s.people

    for (kind, process, owner, title, description, li, im, treatment, rl, ri, verdict,
         actions) in RISKS:
        raised = today - _days(_rand(rng, 60, 900))
        review_due = today + _days(_rand(rng, -20, 150))
        risk = s.add(Risk, s.at(raised), kind=kind, title=title, description=description,
                     process=s.processes[process], owner=p[owner], likelihood=li, impact=im,
                     treatment=treatment, residual_likelihood=rl, residual_impact=ri,
                     next_review_on=review_due, effectiveness=verdict)
        for action_title, fate in actions:
            s.action("risk", risk, action_title, p[owner], raised + _days(_rand(rng, 1, 20)),
                     fate, "Done and checked at the risk review.")

    objectives: dict[str, str] = {}
    for (key, title, commitment, process, owner, plan, resources, due_months, evaluation,
         status, actions) in OBJECTIVES:
        set_on = _add_months(today, -10 if due_months > 0 else -14)
        due_on = _add_months(today, due_months) - _days(1)
        objectives[key] = s.add(
            Objective, s.at(set_on + _days(_rand(rng, 0, 10))), title=title,
            policy_commitment=commitment, process=s.processes[process], owner=p[owner],
            plan=plan, resources=resources, due_on=due_on, evaluation=evaluation,
            status=status)
        for action_title, fate in actions:
            s.action("objective", objectives[key], action_title, p[owner],
                     set_on + _days(_rand(rng, 5, 40)), fate, "Completed as planned.")

    for (_key, name, unit, direction, target, warning, failure, process, owner, objective,
         begin, end, spread, decimals, failed, missing) in KPIS:
        kpi = s.add(Kpi, s.at(first_period - _days(15)), name=name, unit=unit,
                    direction=direction, target=target, warning_threshold=warning,
                    failure_threshold=failure, frequency="monthly",
                    objective=objectives.get(objective), process=s.processes[process],
                    owner=p[owner])
        _readings(s, kpi, s.names[p[owner]], first_period, 36, direction, warning, failure,
                  begin, end, spread, decimals, failed, missing, unit.startswith("%"))

    years: dict[int, int] = {}

    def nonconformity(raised: dt.date, source: str, process: str, severity: str, status: str,
                      title: str, description: str) -> str:
        years[raised.year] = years.get(raised.year, 0) + 1
        return s.add(Nonconformity, s.at(raised), reference=f"NC-{raised.year}-"
                     f"{years[raised.year]:03d}", title=title, description=description,
                     raised_on=raised, source=source, process=s.processes[process],
                     severity=severity, status=status, closed_on=None)

    # Audits first so their nonconformities take their place in the numbering by date.
    pending: list[tuple[dt.date, Callable[[], None]]] = []
    for process, auditor, days_ago, special in AUDITS:
        planned = today - _days(days_ago)
        held = planned + _days(_rand(rng, 0, 4))
        name = dict((k, n) for k, n, *_ in PROCESSES)[process]
        audit = s.add(Audit, s.at(planned - _days(45)), title=f"Internal audit: {name}",
                      planned_on=planned, process=s.processes[process],
                      clause=AUDIT_QUESTIONS[process][0][0], auditor=p[auditor],
                      status="done", held_on=held)
        for index, (clause, question, note) in enumerate(AUDIT_QUESTIONS[process]):
            outcome, notes, nc_spec, finding_action = special.get(
                index, ("conforms", note, None, None))
            pending.append((held, _finding_maker(s, audit, held, process, clause, question,
                                                  outcome, notes, nc_spec, finding_action,
                                                  nonconformity)))
    for process, auditor, days_ahead in PLANNED_AUDITS:
        planned = today + _days(days_ahead)
        name = dict((k, n) for k, n, *_ in PROCESSES)[process]
        s.add(Audit, s.at(today - _days(_rand(rng, 30, 60))), title=f"Internal audit: {name}",
              planned_on=planned, process=s.processes[process],
              clause=AUDIT_QUESTIONS[process][0][0], auditor=p[auditor], status="planned")

    for days_ago, source, process, severity, status, title, description, actions in (
            NONCONFORMITIES):
        raised = today - _days(days_ago + _rand(rng, 0, 3))

        def make(raised: dt.date = raised, source: str = source, process: str = process,
                 severity: str = severity, status: str = status, title: str = title,
                 description: str = description, actions: Any = actions) -> None:
            nc = nonconformity(raised, source, process, severity, status, title, description)
            for action_title, fate, evidence in actions:
                s.action("nonconformity", nc, action_title, s.owners[process], raised, fate,
                         evidence)
            s.close_if_closed(nc)

        pending.append((raised, make))
    for _day, make_it in sorted(pending, key=lambda item: item[0]):
        make_it()

    for days_ago, status, actions in REVIEWS:
        meeting = today - _days(days_ago)
        review = s.add(ManagementReview, s.at(min(meeting, today) - _days(40)),
                       meeting_on=meeting, period_start=_add_months(meeting, -12),
                       period_end=_add_months(meeting, 0) - _days(1),
                       place="Boardroom, Northbank Works", chair=p["md"], status=status)
        owners = (p["md"], p["od"], p["qm"])
        for index, (action_title, fate, evidence) in enumerate(actions):
            s.action("management_review", review, action_title, owners[index % 3], meeting,
                     fate, evidence)


def _finding_maker(s: _Sample, audit: str, held: dt.date, process: str, clause: str,
                   question: str, outcome: str, notes: str, nc_spec: Any,
                   finding_action: Any, nonconformity: Callable[..., str]) -> Callable[[], None]:
    def make() -> None:
        nc = None
        if nc_spec is not None:
            title, status, (action_title, fate) = nc_spec
            raised = held + _days(1)
            nc = nonconformity(raised, "audit", process, "major" if outcome == "major"
                               else "minor", status, title, notes)
            s.action("nonconformity", nc, action_title, s.owners[process], raised, fate,
                     "Checked by the auditor at follow-up.")
            s.close_if_closed(nc)
        finding = s.add(Finding, s.at(held), audit=audit, clause=clause, question=question,
                        outcome=outcome, notes=notes, nonconformity=nc)
        if finding_action is not None:
            action_title, fate = finding_action
            s.action("finding", finding, action_title, s.owners[process], held + _days(2),
                     fate, "Verified at the next floor walk.")
    return make


def _readings(s: _Sample, kpi: str, entered_by: str, first_period: dt.date, months: int,
              direction: str, warning: float, failure: float, begin: float, end: float,
              spread: float, decimals: int, failed: tuple[int, ...], missing: tuple[int, ...],
              percent: bool) -> None:
    rng = s.rng
    for month in range(months):
        if month in missing:
            continue
        period = _add_months(first_period, month)
        value = begin + (end - begin) * month / max(1, months - 1) + rng.gauss(0, spread)
        comment = ""
        if month in failed:
            margin = abs(failure - warning) * rng.uniform(0.2, 1.0) + 10 ** -decimals
            value = failure - margin if direction == "higher" else failure + margin
            comment = _choice(rng, FAILURE_COMMENTS)
        elif (direction == "higher" and value < failure) or (
                direction == "lower" and value > failure):
            value = failure + spread if direction == "higher" else failure - spread / 2
        value = max(0.0, min(100.0, value) if percent else value)
        value = round(value, decimals) if decimals else float(round(value))
        if month in failed and direction == "lower" and value <= failure:
            value = failure + 1
        entered = s.at(_add_months(period, 1) + _days(_rand(rng, 1, 6)))
        s.add(Reading, entered, kpi=kpi, period_start=period, value=value,
              entered_by=entered_by, comment=comment)


# --- The large stress set: the same firm grown, ten years of records -----------------------

FIRST_NAMES = (
    "Aoife", "Ciarán", "Niamh", "Seán", "Róisín", "Eoin", "Saoirse", "Pádraig", "Gráinne",
    "Cillian", "Méabh", "Oisín", "Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał",
    "Zofia", "Søren", "Ørjan", "Bjørn", "Åsa", "Jürgen", "Lenka", "Jiří", "Tomáš", "Kateřina",
    "Lucía", "José", "Núria", "Íñigo", "João", "Inês", "Zoë", "Chloé", "François", "Hélène",
    "Priya", "Arjun", "Anjali", "Rohan", "Chen", "Mei", "Hiroshi", "Yuki", "Adebayo", "Chiamaka",
    "Oluwaseun", "Fatima", "Mehmet", "Ayşe", "Oksana", "Dmytro", "Andreea", "Mihai", "Hamza",
    "Aisha", "Gabriel", "Kwame", "Ngozi", "Darragh", "Emma", "James", "Sarah", "David",
)
SURNAMES = (
    "Gallagher", "O'Brien", "Murphy", "Ní Bhriain", "Ó Súilleabháin", "Kavanagh", "Doyle",
    "Byrne", "McCarthy", "Fitzgerald", "Wiśniewski", "Kowalczyk", "Zielińska", "Nowak",
    "Dąbrowski", "Madsen", "Jørgensen", "Søndergaard", "Åberg", "Dvořák", "Novák", "Černý",
    "Hoffmann", "Müller", "Schröder", "Ñuñez", "García", "Peña", "Ferreira", "Gonçalves",
    "Lefèvre", "Raghunathan", "Iyer", "Patel", "Chen", "Wang", "Tanaka", "Okonkwo", "Adeyemi",
    "Yılmaz", "Öztürk", "Melnyk", "Kovalenko", "Popescu", "Ionescu", "Qureshi", "Khan",
    "Mensah", "Walsh", "Brennan",
)
# job title, role (or ""), weight
JOB_TITLES = (
    ("CNC Machinist", "Machine Operator", 30), ("CNC Setter-Operator", "Machine Operator", 12),
    ("Fabrication Welder", "Welder", 12), ("Assembly Operative", "", 10),
    ("Quality Inspector", "Quality Inspector", 8), ("Deburr & Finishing Operative", "", 6),
    ("Stores & Goods-In Operative", "Stores & Dispatch", 4),
    ("Dispatch Operative", "Stores & Dispatch", 4), ("Maintenance Technician", "", 4),
    ("Manufacturing Engineer", "Internal Auditor", 3), ("Team Leader", "", 4),
    ("Production Planner", "", 2), ("Sales Estimator", "", 2), ("Buyer", "", 2),
    ("Apprentice Machinist", "Machine Operator", 4), ("Design Engineer", "", 2),
    ("Office Administrator", "", 2),
)
MATERIALS = ("6082-T6 aluminium bar", "316L stainless bar", "S355 steel plate",
             "CZ121 brass bar", "17-4PH stainless bar", "PEEK rod", "duplex stainless tube")
MACHINES = ("DMU 65 5-axis centre", "Mazak Variaxis", "Haas ST-30 lathe", "Trumpf press brake",
            "Bystronic laser", "Okuma twin-spindle lathe", "Fronius welding cell",
            "Hermle C42 centre")
GAUGES = ("CMM", "bore gauge set", "height gauge", "thread gauge set",
          "surface roughness tester", "torque wrench set", "micrometer set")
SKILLS = ("5-axis CAM programmer", "coded TIG welder", "CMM programmer", "press brake setter",
          "maintenance electrician")
SECTORS = ("medical devices", "food machinery", "renewable energy", "rail",
           "semiconductor equipment", "marine")
AREAS = ("Mazak cell", "DMU cell", "lathe cell", "fabrication bay", "welding bay",
         "press brake area", "laser cutting", "deburr and finishing", "assembly", "goods-in",
         "stores", "dispatch", "CMM room", "Maynooth finishing unit")
PARTS = ("valve body VB-118", "pump housing PH-42", "manifold HM-204", "bracket BR-552",
         "flange FL-80", "drive shaft DS-310", "bearing cap BC-77", "mounting plate MP-12",
         "gearbox cover GC-09", "hydraulic block HB-66", "sensor housing SH-21",
         "spacer ring SR-40", "frame weldment FW-900", "guard panel GP-15",
         "actuator rod AR-28")
CUSTOMERS = ("Hydraflow Systems", "Kestrel Pumps", "Marlow Engineering", "Atlantic Valve Co.",
             "Brennan Agri Machinery", "Corrib Automation", "Liffey Packaging Machines",
             "Shannon Aero Services", "Vistula Hydraulics", "Nordhavn Marine",
             "Tagus Motion", "Danube Drives")

# process, kind, title, description (placeholders filled from the lists above)
RISK_TEMPLATES = (
    ("purchasing", "risk", "Single source for {material}",
     "Only one approved supplier holds {material}; a stock-out would stop work for "
     "{customer}."),
    ("maintenance", "risk", "Breakdown of the {machine}",
     "The {machine} has no backup in the plant; a breakdown would delay work for {customer} "
     "by weeks."),
    ("inspection", "risk", "{gauge} used out of calibration",
     "If the {gauge} drifts between calibrations, parts out of tolerance could reach "
     "{customer}."),
    ("sales", "risk", "{part} ordered against an old drawing revision",
     "{customer} often sends revised drawings apart from the order; making {part} to the old "
     "revision means scrap and a late delivery."),
    ("design", "risk", "Engineering change on {part} not reaching the {area}",
     "A program or drawing change may not reach the travellers in the {area}, so old and new "
     "versions of {part} are both made."),
    ("dispatch", "risk", "Damage in transit on shipments to {customer}",
     "Machined faces can be damaged or corrode on long journeys to {customer} if packing is "
     "not to specification."),
    ("hr", "risk", "Only one trained {skill}",
     "The work depends on one {skill}; absence or leaving would stop jobs for {customer}."),
    ("production", "risk", "Tool wear on {part} going unnoticed",
     "Worn tools on the {machine} can take {part} out of tolerance before the next in-process "
     "check."),
    ("production", "risk", "Coolant contamination on the {machine}",
     "Tramp oil and bacteria in the {machine} sump cause staining and poor finish."),
    ("purchasing", "risk", "Price rise on {material} under a fixed-price contract",
     "The fixed-price agreement with {customer} leaves no room if {material} prices rise."),
    ("production", "risk", "Summer heat affecting tolerances in the {area}",
     "Climate change: on the hottest days the {area} passes 30 °C and tight bores drift."),
    ("sales", "opportunity", "New {sector} work through {customer}",
     "{customer} has asked for quotes on {sector} parts that suit the {machine}."),
    ("production", "opportunity", "Unmanned running on the {cnc}",
     "Repeat parts such as {part} could run unmanned overnight on the {cnc}."),
    ("design", "opportunity", "Design-for-manufacture review for {customer}",
     "Early advice on {part} would take cost out of the design and win the order."),
    ("hr", "opportunity", "Apprentice intake for the {area}",
     "The local training board offers funded apprentice places for the {area}."),
    ("purchasing", "opportunity", "Consolidate {material} buying",
     "Buying {material} from fewer stockists would earn volume discounts and simpler "
     "certificates."),
)
TREATMENTS = ("Reduce likelihood", "Reduce impact", "Remove the source", "Share",
              "Retain (accepted)", "Avoid")
VERDICTS = ("Effective", "Effective", "Partly effective", "Not effective", "Not yet assessed")

# process, name, unit, direction, target, warning, failure, begin, end, spread, decimals,
# objective title
KPI_TEMPLATES = (
    ("dispatch", "On-time delivery – {customer}", "%", "higher", 96.0, 93.0, 90.0, 90.0, 96.0,
     1.8, 1, "Deliver 96% of {customer} orders on time"),
    ("sales", "Customer complaints – {customer}", "per month", "lower", 1.0, 2.0, 3.0, 1.8,
     0.8, 0.7, 0, "At most one complaint a month from {customer}"),
    ("production", "Scrap rate – {area}", "% of production value", "lower", 1.5, 2.0, 2.5,
     2.3, 1.5, 0.3, 2, "Bring scrap in the {area} below 1.5%"),
    ("inspection", "First-pass yield – {area}", "%", "higher", 98.0, 96.5, 95.0, 95.5, 98.2,
     0.8, 1, "Raise first-pass yield in the {area} to 98%"),
    ("maintenance", "Unplanned downtime – {machine}", "% of planned hours", "lower", 3.0, 4.0,
     5.0, 4.5, 2.7, 0.7, 1, "Keep unplanned downtime on the {machine} below 3%"),
    ("maintenance", "Preventive maintenance on time – {machine}", "%", "higher", 95.0, 90.0,
     85.0, 87.0, 96.0, 3.0, 0, "Complete 95% of {machine} maintenance on time"),
    ("purchasing", "Supplier on time in full – {material}", "%", "higher", 95.0, 92.0, 88.0,
     89.0, 94.0, 2.0, 1, "Suppliers of {material} deliver 95% on time in full"),
    ("hr", "Training plan completion – {area}", "%", "higher", 90.0, 80.0, 70.0, 74.0, 92.0,
     4.0, 0, "Complete 90% of the {area} training plan"),
)
COMMITMENTS = ("Meet customer requirements", "Continual improvement",
               "Work with reliable suppliers", "Provide the resources people need",
               "Meet legal and regulatory requirements")

# title, process, how it was found, source
DEFECTS = (
    ("Bore oversize", "production"), ("Bore undersize", "production"),
    ("Thread out of tolerance", "production"), ("Burrs on cross-drilled holes", "production"),
    ("Rough surface finish", "production"), ("Wrong material grade", "purchasing"),
    ("Missing chamfer", "design"), ("Hole position out of tolerance", "production"),
    ("Weld porosity", "production"), ("Weld undercut", "production"),
    ("Uneven anodise colour", "purchasing"), ("Scratched sealing face", "dispatch"),
    ("Parts of two revisions mixed in one crate", "dispatch"),
    ("Certificate of conformity missing", "inspection"), ("Wrong quantity shipped", "dispatch"),
    ("Label shows the wrong revision", "dispatch"), ("Flatness out of tolerance", "production"),
    ("Corrosion on machined faces", "dispatch"), ("Paint adhesion failure", "purchasing"),
    ("Made to a superseded drawing", "sales"), ("Inspection record incomplete", "inspection"),
)
DETECTIONS = (
    ("complaint", "{customer} returned {qty} of {lot} parts"),
    ("internal", "Final inspection rejected {qty} of {lot} parts"),
    ("internal", "First-off inspection stopped the batch after {qty} of {lot} parts"),
    ("internal", "In-process checks found {qty} of {lot} parts affected"),
    ("supplier", "Goods-in rejected {qty} of {lot} parts from the subcontractor"),
)
CONTAINMENTS = ("Suspect stock was quarantined and sorted.",
                "Parts were reworked and re-inspected.", "The batch was scrapped and remade.",
                "The customer accepted the parts under concession.",
                "Replacements went out by express courier.")
FINDING_NOTES = {
    "minor": ("{n} of {m} records sampled in the {area} were incomplete.",
              "An out-of-date document was in use in the {area}.",
              "The {gauge} in the {area} was past its calibration date.",
              "Training record missing for one person working in the {area}."),
    "major": ("No evidence the requirement is met in the {area}; {n} of {m} samples failed.",
              "Product was released from the {area} without the required inspection."),
    "observation": ("Practice in the {area} works but is not written down.",
                    "Housekeeping in the {area} could lead to mixed parts.",
                    "Records in the {area} are kept but not reviewed."),
    "opportunity": ("The {area} could share its visual boards with the other cells.",
                    "A checklist at the {machine} would speed up set-ups.",
                    "Digital travellers would remove re-typing in the {area}."),
    "not_applicable": ("Not applicable to the {area}.",),
}
ACTION_TEMPLATES = {
    "nonconformity": ("Sort and quarantine suspect stock of {part}",
                      "Update the work instruction for {part}",
                      "Add a {gauge} check at the machine for {part}",
                      "Retrain {area} operators on the revised method",
                      "Raise a corrective action request with the supplier of {material}",
                      "Review the inspection plan for {part}",
                      "Set tool-life limits in the programs for {part}",
                      "Confirm the root cause of the {part} problem with a 5-whys review",
                      "Check other part numbers in the {area} for the same cause",
                      "Review the effectiveness of the {part} corrective action"),
    "finding": ("Close the audit finding in the {area}", "Write down the {area} practice",
                "Add a set-up checklist at the {machine}",
                "Review the {area} records monthly"),
    "risk": ("Agree safety stock of {material}", "Price a service contract for the {machine}",
             "Cross-train a second {skill}", "Update the packing specification for {customer}",
             "Review the risk after the next quarter's data", "Qualify a second source of "
             "{material}"),
    "objective": ("Report progress on the {area} objective to the quality meeting",
                  "Budget the {machine} upgrade", "Run a kaizen event in the {area}",
                  "Agree the {customer} delivery forecast each month"),
    "management_review": ("Decide on funding for a second {machine}",
                          "Recruit an additional {skill}",
                          "Re-brief all staff on the quality policy",
                          "Review the audit programme for next year",
                          "Report {sector} market findings to the board"),
}
OUTCOME_WEIGHTS = (("conforms", 80.0), ("observation", 8.0), ("opportunity", 5.0),
                   ("minor", 4.5), ("major", 0.5), ("not_applicable", 2.0))


FRAGMENTS: dict[str, tuple[str, ...]] = {
    "material": MATERIALS, "machine": MACHINES, "gauge": GAUGES, "skill": SKILLS,
    "sector": SECTORS, "area": AREAS, "part": PARTS, "customer": CUSTOMERS,
    "cnc": tuple(m for m in MACHINES if "centre" in m or "Mazak" in m or "lathe" in m),
}


class _Fragments(dict[str, Any]):
    """Placeholder values drawn only when a template uses them."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> Any:
        if key == "n":
            value: Any = _rand(self.rng, 2, 4)
        elif key == "m":
            value = _rand(self.rng, 8, 15)
        else:
            value = _choice(self.rng, FRAGMENTS[key])
        self[key] = value
        return value


def _fill(rng: random.Random, template: str, fragments: _Fragments | None = None) -> str:
    """The template with its placeholders filled; pass `fragments` to share them."""
    text = template.format_map(fragments if fragments is not None else _Fragments(rng))
    return text[:1].upper() + text[1:]


def _large_fate(rng: random.Random, age_days: int) -> str:
    if age_days > 120:
        return rng.choices(("done", "late", "cancelled", "overdue", "moved"),
                           (94, 3, 1, 1.5, 0.5))[0]
    return rng.choices(("done", "overdue", "week", "open", "moved"), (35, 15, 10, 35, 5))[0]


def _spread(rng: random.Random, total: int, sources: list[Any]) -> list[Any]:
    """`total` picks from `sources`: each at least once where possible, the rest at random."""
    picks = (sources * (total // len(sources) + 1))[: min(total, len(sources))]
    picks += [_choice(rng, sources) for _ in range(total - len(picks))]
    return picks


def _build_large(s: _Sample) -> None:
    rng, today = s.rng, s.today
    first_period = _add_months(today, -120)
    founded = first_period - _days(20)
    emails = _build_core(s, founded)
    s.rows[Organisation][0]["review_interval_months"] = 3
    span = (today - founded).days
    sites = [row["id"] for row in s.rows[Site]]

    def some_day(after: int = 0, before: int = 1) -> dt.date:
        """A day between `after` days since founding and `before` days ago."""
        return founded + _days(_rand(rng, after, span - before))

    # People: the named firm plus 473 more.
    titles = [t for t, _r, _w in JOB_TITLES]
    weights = [w for _t, _r, w in JOB_TITLES]
    role_of = {t: r for t, r, _w in JOB_TITLES}
    staff = list(s.people.values())
    while len(staff) < 500:
        name = f"{_choice(rng, FIRST_NAMES)} {_choice(rng, SURNAMES)}"
        title = rng.choices(titles, weights)[0]
        joined = some_day(0, 30)
        left_on = None
        if rng.random() < 0.08:
            left_on = min(joined + _days(_rand(rng, 90, 2000)), today - _days(1))
        person = s.add(Person, s.at(joined), full_name=name, job_title=title,
                       site=_choice(rng, sites), email=_email(name, emails),
                       active=left_on is None, left_on=left_on)
        s.names[person] = name
        staff.append(person)
        if role_of[title]:
            s.add(PersonRole, s.at(joined), person=person, role=s.roles[role_of[title]])
    leaders = [s.people[k] for k in ("od", "qm", "ps", "eng", "mnt", "pur", "sal", "hr", "me")]
    leaders += rng.sample(staff[len(PEOPLE):], 40)
    auditors = [s.people[k] for k in ("qm", "qi1", "qi2", "me")]
    process_keys = [key for key, *_ in PROCESSES]

    sources: dict[str, list[tuple[str, dt.date, str]]] = {
        name: [] for name in ACTION_TEMPLATES}

    # Risks and opportunities.
    for _ in range(2000):
        process, kind, title, description = _choice(rng, RISK_TEMPLATES)
        raised = some_day(0, 10)
        likelihood, impact = _rand(rng, 1, 5), _rand(rng, 1, 5)
        treated = kind == "risk" and rng.random() < 0.8
        owner = _choice(rng, leaders)
        fragments = _Fragments(rng)
        risk = s.add(
            Risk, s.at(raised), kind=kind, title=_fill(rng, title, fragments)[:200],
            description=_fill(rng, description, fragments), process=s.processes[process],
            owner=owner, likelihood=likelihood, impact=impact,
            treatment=_choice(rng, TREATMENTS) if kind == "risk" else "Pursue",
            residual_likelihood=max(1, likelihood - _rand(rng, 0, 2)) if treated else None,
            residual_impact=max(1, impact - _rand(rng, 0, 1)) if treated else None,
            next_review_on=today + _days(_rand(rng, -60, 365)),
            effectiveness=_choice(rng, VERDICTS) if treated else "")
        sources["risk"].append((risk, raised, owner))

    # Objectives, each with one KPI and ten years of monthly readings.
    for index in range(200):
        (process, name, unit, direction, target, warning, failure, begin, end, spread,
         decimals, objective_title) = KPI_TEMPLATES[index % len(KPI_TEMPLATES)]
        fill = {"customer": _choice(rng, CUSTOMERS), "area": _choice(rng, AREAS),
                "machine": _choice(rng, MACHINES), "material": _choice(rng, MATERIALS)}
        set_on = some_day(0, 30)
        due_on = dt.date(set_on.year, 12, 31)
        if due_on < today:
            status = rng.choices(("achieved", "missed"), (7, 3))[0]
        else:
            status = _choice(rng, ("planned", "on_track", "on_track", "at_risk"))
        owner = _choice(rng, leaders)
        objective = s.add(
            Objective, s.at(set_on), title=objective_title.format(**fill),
            policy_commitment=_choice(rng, COMMITMENTS), process=s.processes[process],
            owner=owner, plan=_fill(rng, "Monthly review of results in the {area}; actions "
                                         "agreed with {customer}; training on the {machine}."),
            resources=f"Budget of EUR {_rand(rng, 2, 40) * 500:,}; team time as planned.",
            due_on=due_on, evaluation=f"Monthly {name.split(' –')[0].lower()} figure "
            "against the target.", status=status)
        sources["objective"].append((objective, set_on, owner))
        kpi = s.add(Kpi, s.at(founded), name=name.format(**fill), unit=unit,
                    direction=direction, target=target, warning_threshold=warning,
                    failure_threshold=failure, frequency="monthly", objective=objective,
                    process=s.processes[process], owner=owner)
        failed = tuple(m for m in range(120) if rng.random() < 0.02)
        _readings(s, kpi, s.names[owner], first_period, 120, direction, warning, failure,
                  begin, end, spread, decimals, failed, (), unit.startswith("%"))

    # Audits and findings: 190 done over the years, 10 planned; 10,000 findings.
    questions = [(p, q) for p in process_keys for q in AUDIT_QUESTIONS[p]]
    names = {key: name for key, name, *_ in PROCESSES}
    audit_ncs: list[tuple[dt.date, str, str, str, str]] = []
    findings_left = 10_000
    for index in range(200):
        process = process_keys[index % len(process_keys)]
        done = index < 190
        planned = (founded + _days(30 + (span - 60) * index // 190) if done
                   else today + _days(20 * (index - 189)))
        held = min(planned + _days(_rand(rng, 0, 5)), today - _days(1)) if done else None
        area = _choice(rng, AREAS)
        audit = s.add(Audit, s.at(min(planned, today) - _days(40)),
                      title=f"Internal audit: {names[process]} – {area}", planned_on=planned,
                      process=s.processes[process], clause=AUDIT_QUESTIONS[process][0][0],
                      auditor=_choice(rng, auditors), status="done" if done else "planned",
                      held_on=held)
        if not done or held is None:
            continue
        count = findings_left // (190 - index)
        findings_left -= count
        for _ in range(count):
            owner_process, (clause, question, note) = _choice(rng, questions)
            outcome = rng.choices(*zip(*OUTCOME_WEIGHTS, strict=True))[0]
            notes = note if outcome == "conforms" else _fill(
                rng, _choice(rng, FINDING_NOTES[outcome]))
            finding = s.add(Finding, s.at(held), audit=audit, clause=clause,
                            question=question, outcome=outcome, notes=notes,
                            nonconformity=None)
            if outcome in ("minor", "major"):
                audit_ncs.append((held + _days(1), outcome, owner_process, notes, finding))
            elif outcome in ("observation", "opportunity"):
                sources["finding"].append((finding, held, s.owners[owner_process]))

    # Nonconformities: those raised from audit findings, then the rest over ten years.
    findings = {row["id"]: row for row in s.rows[Finding]}
    plans: list[tuple[dt.date, str, str, str, str, str, str | None]] = []
    for raised, outcome, process, notes, finding in audit_ncs:
        plans.append((raised, "audit", process, "major" if outcome == "major" else "minor",
                      notes.split(";")[0].rstrip("."), notes, finding))
    while len(plans) < 5000:
        defect, process = _choice(rng, DEFECTS)
        source, found = _choice(rng, DETECTIONS)
        part, customer = _choice(rng, PARTS), _choice(rng, CUSTOMERS)
        lot = _choice(rng, (20, 40, 50, 100, 120, 200, 500))
        description = found.format(customer=customer, qty=_rand(rng, 1, lot // 4), lot=lot)
        plans.append((some_day(10, 1), source, process, rng.choices(
            ("minor", "major", "critical"), (85, 13, 2))[0], f"{defect} – {part}",
            f"{description} ({part}). {_choice(rng, CONTAINMENTS)}", None))
    plans.sort(key=lambda plan: plan[0])
    numbers: dict[int, int] = {}
    nc_rows: list[tuple[dict[str, Any], str, dt.date, str]] = []
    for raised, source, process, severity, title, description, from_finding in plans:
        numbers[raised.year] = numbers.get(raised.year, 0) + 1
        age = (today - raised).days
        status = ("closed" if rng.random() < 0.96 else "action") if age > 120 else _choice(
            rng, ("open", "action", "action", "closed"))
        nc = s.add(Nonconformity, s.at(raised), reference=f"NC-{raised.year}-"
                   f"{numbers[raised.year]:03d}", title=title[:200], description=description,
                   raised_on=raised, source=source, process=s.processes[process],
                   severity=severity, status=status, closed_on=None)
        nc_rows.append((s.rows[Nonconformity][-1], nc, raised, s.owners[process]))
        if from_finding is not None:
            findings[from_finding]["nonconformity"] = nc

    # Management reviews: quarterly, the next one planned.
    for index in range(40):
        meeting = _add_months(today, 3 * (index - 38)) + _days(_rand(rng, 5, 20))
        status = "planned" if meeting >= today else "closed"
        review = s.add(ManagementReview, s.at(min(meeting, today) - _days(30)),
                       meeting_on=meeting, period_start=_add_months(meeting, -3),
                       period_end=_add_months(meeting, 0) - _days(1),
                       place=_choice(rng, ("Boardroom, Northbank Works",
                                         "Meeting room, Maynooth")),
                       chair=s.people["md"], status=status)
        if status == "closed":
            sources["management_review"].append((review, meeting, s.people["od"]))

    # 20,000 actions across the sources; nonconformities close after their last action.
    totals = {"nonconformity": 11_000, "finding": 1_500, "risk": 4_000, "objective": 3_100,
              "management_review": 400}
    nc_done: dict[str, list[dt.date]] = {}
    closed: set[str] = set()
    for row, nc, raised, owner in nc_rows:
        sources["nonconformity"].append((nc, raised, owner))
        nc_done[nc] = []
        if row["status"] == "closed":
            closed.add(nc)
    for table, total in totals.items():
        for source_id, raised, owner in _spread(rng, total, sources[table]):
            age = (today - raised).days
            fate = _large_fate(rng, age)
            if table == "nonconformity" and fate not in ("done", "late", "cancelled") and (
                    source_id in closed or rng.random() < 0.5):
                fate = "done"
            title = _fill(rng, _choice(rng, ACTION_TEMPLATES[table]))
            s.action(table, source_id, title,
                     owner if rng.random() < 0.7 else _choice(rng, leaders), raised, fate,
                     "Checked and signed off." if fate in ("done", "late") else "")
            done_on = s.rows[Action][-1]["done_on"]
            if table == "nonconformity" and done_on is not None:
                nc_done[source_id].append(done_on)
    for row, nc, raised, _owner in nc_rows:
        if row["status"] == "closed":
            last = max(nc_done[nc], default=raised + _days(20))
            row["closed_on"] = min(last + _days(_rand(rng, 2, 12)), today - _days(1))
