"""The tables. Singular nouns; every business record has a UUID text key.

The schema a user's file has is built by `migrations.py`, never by `create_tables` on these
classes; a test checks that both agree. Each field's `verbose_name` is the column heading
users see in the window and in exports.

Peewee adds a `<name>_id` attribute for each foreign key and a backref query on the model it
points at; each is declared as a bare annotation (peewee ignores those) so the type checker
knows them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Self

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    Check,
    DatabaseProxy,
    DateField,
    DateTimeField,
    Expression,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelAlias,
    ModelSelect,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from qms_desktop import clock
from qms_desktop.accounts import ROLE_LABELS
from qms_desktop.ids import new_id

# Stands for the open database: the user's SQLite file (`db.open_database`) or a PostgreSQL
# server (`server.open_server`); each opening points it at a database of its engine.
database = DatabaseProxy()
database.initialize(SqliteDatabase(None))  # until then: closed, as a file not yet opened


def on_server() -> bool:
    """True while the open database is a PostgreSQL server rather than a file."""
    return isinstance(database.obj, PostgresqlDatabase)


def utc_now() -> dt.datetime:
    return clock.utc_now()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class _AddedLastField(IntegerField):
    """A column a schema step added to every table after its own columns: peewee orders a
    model's fields as they were made, a base model's first, so this one is moved last for
    the models to declare the column order the files have."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order: int = vars(self)["_order"] + 1_000_000  # what peewee sorts fields by
        self._order = order
        self._sort_key = (2, order)


class Record(BaseModel):
    """A business record: stable id, timestamps, and archived rather than deleted."""

    id = CharField(primary_key=True, max_length=36, default=new_id, verbose_name="ID")
    created_at = DateTimeField(default=utc_now, verbose_name="Created")
    updated_at = DateTimeField(default=utc_now, verbose_name="Last changed")
    archived_at = DateTimeField(null=True, index=True, verbose_name="Archived on")
    # Raised by every change (records.update, archive, restore), which writes only where the
    # row still has the version its copy was read at: bookkeeping, like updated_at, never in
    # the history, an export or a comparison of contents.
    row_version = _AddedLastField(default=0, verbose_name="Row version")

    # Plural name for registers, exports and messages; set on each subclass.
    display_plural: ClassVar[str] = ""
    # A register whose rows an auditor samples gives each a readable reference
    # ("ACT-2026-014"): its prefix, and the date field whose year it counts in (created_at
    # when none). records.create assigns it; see references.py.
    reference_prefix: ClassVar[str] = ""
    reference_date: ClassVar[str] = ""

    @classmethod
    def live(cls, *fields: Any) -> ModelSelect[Self]:
        """The records not archived: `select(*fields)` without the archived ones."""
        return cls.select(*fields).where(is_live(cls))

    def display_name(self) -> str:
        """How the record reads when another record points at it."""
        for name in ("full_name", "name", "title"):
            value = getattr(self, name, None)
            if value:
                return str(value)
        return str(self.id)

    def __str__(self) -> str:
        return self.display_name()


def is_live(*tables: type[Record] | ModelAlias[Any]) -> Expression:
    """The condition that the rows of `tables` (models, or their aliases in a join) are not
    archived: what `Record.live()` is for one table, for the tables a query joins."""
    condition = tables[0].archived_at.is_null()
    for table in tables[1:]:
        condition &= table.archived_at.is_null()
    return condition


# --- Organisation and settings ----------------------------------------------------------

EDITIONS = (("2015", "ISO 9001:2015"), ("2026", "ISO 9001:2026"))


class Organisation(Record):
    display_plural = "Organisation"
    name = CharField(max_length=200, verbose_name="Organisation")
    currency = CharField(max_length=3, default="USD", verbose_name="Currency")
    edition = CharField(max_length=4, default="2015", choices=EDITIONS, verbose_name="Edition")
    review_interval_months = IntegerField(default=12, verbose_name="Review every (months)")
    risk_matrix_size = IntegerField(default=5, verbose_name="Risk matrix size")


class Site(Record):
    display_plural = "Sites"
    name = CharField(max_length=200, verbose_name="Site")
    address = TextField(default="", verbose_name="Address")
    # Backrefs: the records that point here.
    people: ModelSelect[Person]


class Setting(BaseModel):
    """Small key/value settings that belong to the data, such as the current user's name."""

    key = CharField(primary_key=True, max_length=100, verbose_name="Setting")
    value = TextField(default="", verbose_name="Value")


# --- People, roles, processes (5.3, 4.4) ---------------------------------------------------


class Person(Record):
    display_plural = "People"
    full_name = CharField(max_length=200, index=True, verbose_name="Name")
    job_title = CharField(max_length=200, default="", verbose_name="Job title")
    site = ForeignKeyField(Site, null=True, backref="people", verbose_name="Site")
    site_id: str | None
    email = CharField(max_length=254, default="", verbose_name="E-mail")
    active = BooleanField(default=True, verbose_name="Active")
    left_on = DateField(null=True, verbose_name="Left on")
    # Backrefs: the records that point here.
    role_links: ModelSelect[PersonRole]
    owned_processes: ModelSelect[Process]
    documents: ModelSelect[Document]
    approved_versions: ModelSelect[DocumentVersion]
    risks: ModelSelect[Risk]
    objectives: ModelSelect[Objective]
    kpis: ModelSelect[Kpi]
    reported_nonconformities: ModelSelect[Nonconformity]
    audits: ModelSelect[Audit]
    chaired_reviews: ModelSelect[ManagementReview]
    minuted_reviews: ModelSelect[ManagementReview]
    closed_reviews: ModelSelect[ManagementReview]
    actions: ModelSelect[Action]
    communications_made: ModelSelect[Communication]
    acknowledgements: ModelSelect[Acknowledgement]
    duties: ModelSelect[DutyAssignment]
    resources: ModelSelect[Resource]
    resource_requests_made: ModelSelect[ResourceRequest]
    resource_decisions: ModelSelect[ResourceRequest]
    adequacy_statements: ModelSelect[AdequacyStatement]
    climate_decisions: ModelSelect[ClimateDecision]
    supplier_evaluations: ModelSelect[SupplierEvaluation]
    effectiveness_reviews: ModelSelect[EffectivenessReview]
    training_records: ModelSelect[TrainingRecord]
    review_attendance: ModelSelect[ReviewAttendance]
    review_decisions: ModelSelect[ReviewDecision]
    accounts: ModelSelect[Account]


class Role(Record):
    display_plural = "Roles"
    title = CharField(max_length=200, verbose_name="Role")
    description = TextField(default="", verbose_name="Description")
    authorities = TextField(default="", verbose_name="Authorities")
    is_top_management = BooleanField(default=False, verbose_name="Top management")
    # Backrefs: the records that point here.
    holder_links: ModelSelect[PersonRole]
    duties: ModelSelect[DutyAssignment]
    raci_cells: ModelSelect[RaciCell]
    competences: ModelSelect[Competence]


class PersonRole(Record):
    display_plural = "Role holders"
    person = ForeignKeyField(Person, backref="role_links", verbose_name="Person")
    person_id: str
    role = ForeignKeyField(Role, backref="holder_links", verbose_name="Role")
    role_id: str

    def display_name(self) -> str:
        return f"{self.person.display_name()} as {self.role.display_name()}"


class Process(Record):
    display_plural = "Processes"
    reference_prefix = "PRC"
    name = CharField(max_length=200, verbose_name="Process")
    owner = ForeignKeyField(Person, null=True, backref="owned_processes", verbose_name="Owner")
    owner_id: str | None
    inputs = TextField(default="", verbose_name="Inputs")
    outputs = TextField(default="", verbose_name="Outputs")
    is_activity = BooleanField(default=False, verbose_name="QMS activity")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    risks: ModelSelect[Risk]
    objectives: ModelSelect[Objective]
    kpis: ModelSelect[Kpi]
    nonconformities: ModelSelect[Nonconformity]
    audits: ModelSelect[Audit]
    raci_cells: ModelSelect[RaciCell]
    resources: ModelSelect[Resource]
    resource_requests: ModelSelect[ResourceRequest]


# --- Controlled documents (7.5) -------------------------------------------------------------

DOCUMENT_KINDS = (
    ("policy", "Quality policy"),
    ("scope", "QMS scope"),
    ("procedure", "Procedure"),
    ("record", "Record"),
    ("form", "Form"),
)
VERSION_STATES = (("draft", "Draft"), ("approved", "Approved"), ("superseded", "Superseded"))


class Document(Record):
    display_plural = "Documents"
    kind = CharField(max_length=20, choices=DOCUMENT_KINDS, verbose_name="Kind")
    reference = CharField(max_length=50, default="", verbose_name="Reference")
    title = CharField(max_length=200, verbose_name="Title")
    owner = ForeignKeyField(Person, null=True, backref="documents", verbose_name="Owner")
    owner_id: str | None
    review_due_on = DateField(null=True, verbose_name="Review due")
    retention = CharField(max_length=100, default="", verbose_name="Retention period")
    location = CharField(max_length=300, default="", verbose_name="Location")
    # Backrefs: the records that point here.
    versions: ModelSelect[DocumentVersion]


class DocumentVersion(Record):
    display_plural = "Document versions"
    document = ForeignKeyField(Document, backref="versions", verbose_name="Document")
    document_id: str
    number = IntegerField(verbose_name="Version")
    status = CharField(max_length=12, default="draft", choices=VERSION_STATES,
                       verbose_name="Status")
    body = TextField(default="", verbose_name="Text")
    approved_by = ForeignKeyField(Person, null=True, backref="approved_versions",
                                  verbose_name="Approved by")
    approved_by_id: str | None
    approved_at = DateTimeField(null=True, verbose_name="Approved on")
    approved_by_top_management = BooleanField(default=False,
                                              verbose_name="Approved by top management")
    approval_note = TextField(default="", verbose_name="Approval note")
    change_summary = TextField(default="", verbose_name="What changed")
    # Backrefs: the records that point here.
    checks: ModelSelect[PolicyCheck]
    communications: ModelSelect[Communication]
    acknowledgements: ModelSelect[Acknowledgement]
    scope_items: ModelSelect[ScopeItem]

    class Meta:
        indexes = ((("document", "number"), True),)

    def display_name(self) -> str:
        return f"{self.document.display_name()} v{self.number}"


# --- Context (4.1 to 4.3) ------------------------------------------------------------------------

ISSUE_KINDS = (("internal", "Internal"), ("external", "External"))
ISSUE_CATEGORIES = (
    ("market", "Market and customers"),
    ("economic", "Economic"),
    ("technology", "Technology"),
    ("legal", "Legal and regulatory"),
    ("environment", "Environment and climate"),
    ("social", "Social and cultural"),
    ("people", "People and skills"),
    ("infrastructure", "Infrastructure"),
    ("knowledge", "Knowledge"),
    ("performance", "Values and performance"),
)


class ContextIssue(Record):
    display_plural = "Context issues"
    reference_prefix = "ISS"
    reference_date = "identified_on"
    kind = CharField(max_length=8, choices=ISSUE_KINDS, verbose_name="Internal or external")
    category = CharField(max_length=20, choices=ISSUE_CATEGORIES, verbose_name="Category")
    title = CharField(max_length=200, verbose_name="Issue")
    description = TextField(default="", verbose_name="Description")
    effect = TextField(default="", verbose_name="Effect on the organisation")
    identified_on = DateField(verbose_name="Identified on")
    last_reviewed_on = DateField(null=True, verbose_name="Last reviewed")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    risks: ModelSelect[Risk]


class ClimateDecision(Record):
    """Whether climate change is a relevant issue (2024 amendment to 4.1), with the reason."""

    display_plural = "Climate decisions"
    relevant = BooleanField(verbose_name="Climate change relevant")
    reason = TextField(verbose_name="Reason")
    decided_on = DateField(verbose_name="Decided on")
    decided_by = ForeignKeyField(Person, null=True, backref="climate_decisions",
                                 verbose_name="Decided by")
    decided_by_id: str | None

    def display_name(self) -> str:
        return f"Climate change {'relevant' if self.relevant else 'not relevant'} " \
               f"({self.decided_on})"


PARTY_KINDS = (
    ("customer", "Customers"),
    ("staff", "Staff"),
    ("owner", "Owners and investors"),
    ("supplier", "Suppliers and partners"),
    ("regulator", "Regulators"),
    ("community", "Neighbours and community"),
    ("other", "Other"),
)


class InterestedParty(Record):
    display_plural = "Interested parties"
    reference_prefix = "IP"
    name = CharField(max_length=200, verbose_name="Interested party")
    kind = CharField(max_length=10, choices=PARTY_KINDS, verbose_name="Kind")
    description = TextField(default="", verbose_name="Description")
    last_reviewed_on = DateField(null=True, verbose_name="Last reviewed")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    risks: ModelSelect[Risk]
    requirements: ModelSelect[PartyRequirement]


class PartyRequirement(Record):
    display_plural = "Interested party requirements"
    party = ForeignKeyField(InterestedParty, backref="requirements",
                            verbose_name="Interested party")
    party_id: str
    requirement = TextField(verbose_name="Requirement")
    addressed = BooleanField(default=True, verbose_name="Addressed by the QMS")
    how_addressed = TextField(default="", verbose_name="How it is addressed")
    last_reviewed_on = DateField(null=True, verbose_name="Last reviewed")

    def display_name(self) -> str:
        return f"{self.party.display_name()}: {self.requirement[:60]}"


SCOPE_ITEM_KINDS = (
    ("product", "Product or service"),
    ("site", "Site"),
    ("exclusion", "Clause not applicable"),
)


class ScopeItem(Record):
    """One line of a scope version: a product or service, a site, or a clause not applied."""

    display_plural = "Scope items"
    version = ForeignKeyField(DocumentVersion, backref="scope_items", verbose_name="Version")
    version_id: str
    kind = CharField(max_length=10, choices=SCOPE_ITEM_KINDS, verbose_name="Kind")
    name = CharField(max_length=200, verbose_name="Item")
    clause = CharField(max_length=20, default="", verbose_name="Clause")
    justification = TextField(default="", verbose_name="Justification")


# --- Planning (6.1, 6.2) ----------------------------------------------------------------------

RISK_KINDS = (("risk", "Risk"), ("opportunity", "Opportunity"))
RISK_TREATMENTS = (
    ("avoid", "Avoid the risk"),
    ("take", "Take the risk to pursue an opportunity"),
    ("remove_source", "Remove the source"),
    ("change_likelihood", "Change the likelihood"),
    ("change_consequence", "Change the consequences"),
    ("share", "Share the risk"),
    ("retain", "Retain by informed decision"),
)
OPPORTUNITY_TREATMENTS = (
    ("pursue", "Pursue"),
    ("defer", "Defer"),
    ("decline", "Decline"),
)
EFFECTIVENESS = (
    ("effective", "Effective"),
    ("partly", "Partly effective"),
    ("not_effective", "Not effective"),
)


class Risk(Record):
    """A risk or an opportunity: one register, two kinds (6.1)."""

    display_plural = "Risks and opportunities"
    reference_prefix = "RSK"
    # Labels for stored keys whose allowed values depend on the kind (so not field choices).
    value_labels: ClassVar[dict[str, dict[str, str]]] = {
        "treatment": dict((*RISK_TREATMENTS, *OPPORTUNITY_TREATMENTS)),
        "effectiveness": dict(EFFECTIVENESS),
    }
    kind = CharField(max_length=12, default="risk", choices=RISK_KINDS, verbose_name="Kind")
    title = CharField(max_length=200, verbose_name="Title")
    description = TextField(default="", verbose_name="Description")
    process = ForeignKeyField(Process, null=True, backref="risks", verbose_name="Process")
    process_id: str | None
    owner = ForeignKeyField(Person, null=True, backref="risks", verbose_name="Owner")
    owner_id: str | None
    likelihood = IntegerField(null=True, verbose_name="Likelihood")
    impact = IntegerField(null=True, verbose_name="Impact")
    treatment = CharField(max_length=30, default="", verbose_name="Treatment")
    residual_likelihood = IntegerField(null=True, verbose_name="Residual likelihood")
    residual_impact = IntegerField(null=True, verbose_name="Residual impact")
    next_review_on = DateField(null=True, verbose_name="Next review")
    effectiveness = CharField(max_length=30, default="", verbose_name="Effectiveness")
    source_issue = ForeignKeyField(ContextIssue, null=True, backref="risks",
                                   verbose_name="Source issue")
    source_issue_id: str | None
    source_party = ForeignKeyField(InterestedParty, null=True, backref="risks",
                                   verbose_name="Source party")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    resource_requests: ModelSelect[ResourceRequest]
    source_party_id: str | None


OBJECTIVE_STATES = (
    ("planned", "Planned"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("achieved", "Achieved"),
    ("missed", "Missed"),
)


class Objective(Record):
    display_plural = "Quality objectives"
    reference_prefix = "OBJ"
    title = CharField(max_length=200, verbose_name="Objective")
    policy_commitment = CharField(max_length=200, default="", verbose_name="Policy commitment")
    process = ForeignKeyField(Process, null=True, backref="objectives", verbose_name="Process")
    process_id: str | None
    owner = ForeignKeyField(Person, null=True, backref="objectives", verbose_name="Owner")
    owner_id: str | None
    plan = TextField(default="", verbose_name="What will be done")
    resources = TextField(default="", verbose_name="Resources")
    due_on = DateField(null=True, verbose_name="Due")
    evaluation = TextField(default="", verbose_name="How the result is evaluated")
    status = CharField(max_length=12, default="planned", choices=OBJECTIVE_STATES,
                       verbose_name="Status")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    kpis: ModelSelect[Kpi]
    resource_requests: ModelSelect[ResourceRequest]


KPI_DIRECTIONS = (("higher", "Higher is better"), ("lower", "Lower is better"))
KPI_FREQUENCIES = (("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly"))


class Kpi(Record):
    display_plural = "KPIs"
    reference_prefix = "KPI"
    name = CharField(max_length=200, verbose_name="KPI")
    unit = CharField(max_length=30, default="", verbose_name="Unit")
    direction = CharField(max_length=6, default="higher", choices=KPI_DIRECTIONS,
                          verbose_name="Direction")
    target = FloatField(null=True, verbose_name="Target")
    warning_threshold = FloatField(null=True, verbose_name="Warning at")
    failure_threshold = FloatField(null=True, verbose_name="Failing at")
    frequency = CharField(max_length=10, default="monthly", choices=KPI_FREQUENCIES,
                          verbose_name="Frequency")
    objective = ForeignKeyField(Objective, null=True, backref="kpis", verbose_name="Objective")
    objective_id: str | None
    process = ForeignKeyField(Process, null=True, backref="kpis", verbose_name="Process")
    process_id: str | None
    owner = ForeignKeyField(Person, null=True, backref="kpis", verbose_name="Owner")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    readings: ModelSelect[Reading]
    owner_id: str | None


class Reading(Record):
    """One KPI value for one period; a period with no row is missing, never zero."""

    display_plural = "KPI readings"
    kpi = ForeignKeyField(Kpi, backref="readings", verbose_name="KPI")
    kpi_id: str
    period_start = DateField(verbose_name="Period")
    value = FloatField(verbose_name="Value")
    entered_by = CharField(max_length=200, default="", verbose_name="Entered by")
    comment = TextField(default="", verbose_name="Comment")

    class Meta:
        indexes = ((("kpi", "period_start"), True),)

    def display_name(self) -> str:
        return f"{self.kpi.display_name()} {self.period_start:%Y-%m}"


# --- Performance and improvement (9.2, 10.2) -------------------------------------------------

NC_SOURCES = (
    ("audit", "Audit finding"),
    ("complaint", "Customer complaint"),
    ("kpi", "KPI failure"),
    ("internal", "Internal"),
    ("supplier", "Supplier"),
)
SEVERITIES = (("minor", "Minor"), ("major", "Major"), ("critical", "Critical"))
NC_STATES = (("open", "Open"), ("action", "Action under way"), ("closed", "Closed"))


class Nonconformity(Record):
    display_plural = "Nonconformities"
    reference_prefix = "NC"
    reference_date = "raised_on"
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    title = CharField(max_length=200, verbose_name="Title")
    description = TextField(default="", verbose_name="Description")
    raised_on = DateField(verbose_name="Raised on")
    source = CharField(max_length=12, default="internal", choices=NC_SOURCES,
                       verbose_name="Source")
    process = ForeignKeyField(Process, null=True, backref="nonconformities",
                              verbose_name="Process")
    process_id: str | None
    severity = CharField(max_length=10, default="minor", choices=SEVERITIES,
                         verbose_name="Severity")
    status = CharField(max_length=10, default="open", choices=NC_STATES, verbose_name="Status")
    closed_on = DateField(null=True, verbose_name="Closed on")
    correction = TextField(default="", verbose_name="Immediate correction")
    containment = TextField(default="", verbose_name="Containment")
    reported_by = ForeignKeyField(Person, null=True, backref="reported_nonconformities",
                                  verbose_name="Reported by")
    reported_by_id: str | None
    root_cause = TextField(default="", verbose_name="Root cause")
    closure_reason = TextField(default="", verbose_name="Closed with reason")
    # Backrefs: the records that point here.
    findings: ModelSelect[Finding]
    feedback: ModelSelect[Feedback]
    why_steps: ModelSelect[WhyStep]
    fishbone_causes: ModelSelect[FishboneCause]
    effectiveness_reviews: ModelSelect[EffectivenessReview]


AUDIT_STATES = (
    ("planned", "Planned"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
)


class Audit(Record):
    display_plural = "Internal audits"
    reference_prefix = "AUD"
    reference_date = "planned_on"
    title = CharField(max_length=200, verbose_name="Audit")
    planned_on = DateField(verbose_name="Planned for")
    process = ForeignKeyField(Process, null=True, backref="audits", verbose_name="Process")
    process_id: str | None
    clause = CharField(max_length=20, default="", verbose_name="Clause")
    auditor = ForeignKeyField(Person, null=True, backref="audits", verbose_name="Auditor")
    auditor_id: str | None
    status = CharField(max_length=12, default="planned", choices=AUDIT_STATES,
                       verbose_name="Status")
    held_on = DateField(null=True, verbose_name="Held on")
    scope = TextField(default="", verbose_name="Scope")
    criteria = TextField(default="", verbose_name="Criteria")
    summary = TextField(default="", verbose_name="Summary")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    findings: ModelSelect[Finding]
    kits: ModelSelect[AuditKit]


FINDING_OUTCOMES = (
    ("conforms", "Conforms"),
    ("minor", "Minor nonconformity"),
    ("major", "Major nonconformity"),
    ("observation", "Observation"),
    ("opportunity", "Opportunity for improvement"),
    ("not_applicable", "Not applicable"),
)


class Finding(Record):
    display_plural = "Audit findings"
    reference_prefix = "FND"
    audit = ForeignKeyField(Audit, backref="findings", verbose_name="Audit")
    audit_id: str
    clause = CharField(max_length=20, default="", verbose_name="Clause")
    question = TextField(default="", verbose_name="Question")
    outcome = CharField(max_length=16, default="conforms", choices=FINDING_OUTCOMES,
                        verbose_name="Outcome")
    notes = TextField(default="", verbose_name="Notes")
    nonconformity = ForeignKeyField(Nonconformity, null=True, backref="findings",
                                    verbose_name="Nonconformity")
    nonconformity_id: str | None
    position = IntegerField(default=0, verbose_name="Order")
    guidance = TextField(default="", verbose_name="What to look for")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Who gave the current answer and when: in the app, or on site through a kit.
    answered_by = CharField(max_length=200, default="", verbose_name="Answered by")
    answered_at = DateTimeField(null=True, verbose_name="Answered at")

    def display_name(self) -> str:
        return f"{self.audit.display_name()}: {self.clause} {self.get_outcome_display()}"

    def get_outcome_display(self) -> str:
        return dict(FINDING_OUTCOMES).get(self.outcome, self.outcome)


class AuditKit(Record):
    """A checklist kit taken on site (audit_kit.py): its id is the kit's id.

    `questions` keeps each question's answer as it stood when the kit was made, `merged` the
    answers on both sides as last merged back (JSON, keyed by finding id).
    """

    display_plural = "Audit kits"
    audit = ForeignKeyField(Audit, backref="kits", verbose_name="Audit")
    audit_id: str
    made_by = CharField(max_length=200, default="", verbose_name="Made by")
    questions = TextField(default="", verbose_name="Questions when made")
    merged = TextField(default="", verbose_name="Answers merged back")
    imported_at = DateTimeField(null=True, verbose_name="Last imported")

    def display_name(self) -> str:
        return f"Kit for {self.audit.display_name()}"


# --- Management review (9.3) --------------------------------------------------------------------

REVIEW_STATES = (("planned", "Planned"), ("held", "Held"), ("closed", "Closed"))


class ManagementReview(Record):
    display_plural = "Management reviews"
    meeting_on = DateField(verbose_name="Meeting date")
    period_start = DateField(null=True, verbose_name="Period from")
    period_end = DateField(null=True, verbose_name="Period to")
    place = CharField(max_length=200, default="", verbose_name="Place")
    chair = ForeignKeyField(Person, null=True, backref="chaired_reviews", verbose_name="Chair")
    chair_id: str | None
    status = CharField(max_length=8, default="planned", choices=REVIEW_STATES,
                       verbose_name="Status")
    minute_taker = ForeignKeyField(Person, null=True, backref="minuted_reviews",
                                   verbose_name="Minute-taker")
    minute_taker_id: str | None
    suitability = TextField(default="", verbose_name="Suitability")
    adequacy = TextField(default="", verbose_name="Adequacy")
    effectiveness = TextField(default="", verbose_name="Effectiveness")
    strategy_alignment = TextField(default="", verbose_name="Alignment with strategy")
    next_review_on = DateField(null=True, verbose_name="Next review")
    closed_at = DateTimeField(null=True, verbose_name="Closed")
    closed_by = ForeignKeyField(Person, null=True, backref="closed_reviews",
                                verbose_name="Closed by")
    closed_by_id: str | None
    closed_by_top_management = BooleanField(default=False,
                                            verbose_name="Closed by top management")
    # The pack describes the records as they stood at the end of this day; None: the meeting.
    cut_off_on = DateField(null=True, verbose_name="Figures as of")
    # Signed closure: the closer's top-management title and what their signature means, as
    # they stood at closing (a role renamed later does not change what was signed).
    signed_title = CharField(max_length=200, default="", verbose_name="Signed as")
    signature_meaning = CharField(max_length=200, default="", verbose_name="Signature means")
    # Why the signer closed although the closing check flagged contradictions ("" if none).
    closing_reason = TextField(default="", verbose_name="Reason for closing despite flags")
    # Backrefs: the records that point here.
    attendance: ModelSelect[ReviewAttendance]
    inputs: ModelSelect[ReviewInput]
    decisions: ModelSelect[ReviewDecision]
    packs: ModelSelect[ReviewPack]

    def display_name(self) -> str:
        return f"Management review {self.meeting_on:%Y-%m-%d}"

    def cut_off(self) -> dt.date:
        """The day the pack's figures are as of: the cut-off set, else the meeting date."""
        return self.cut_off_on or self.meeting_on


# --- The one action tracker ---------------------------------------------------------------------

ACTION_STATES = (("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled"))


class Action(Record):
    """Every action in the product, whatever raised it; `source_*` names the record it came from."""

    display_plural = "Actions"
    reference_prefix = "ACT"
    title = CharField(max_length=200, verbose_name="Action")
    owner = ForeignKeyField(Person, null=True, backref="actions", verbose_name="Owner")
    owner_id: str | None
    due_on = DateField(null=True, index=True, verbose_name="Due")
    original_due_on = DateField(null=True, verbose_name="Originally due")
    status = CharField(max_length=10, default="open", choices=ACTION_STATES, index=True,
                       verbose_name="Status")
    done_on = DateField(null=True, verbose_name="Done on")
    evidence = TextField(default="", verbose_name="Evidence")
    source_table = CharField(max_length=40, default="", verbose_name="Raised from")
    source_id = CharField(max_length=36, default="", index=True, verbose_name="Source record")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    review_decisions: ModelSelect[ReviewDecision]


# --- Leadership: policy checks, communication, duties, RACI (5.2, 5.3, 7.3) ---------------------

COMMUNICATION_METHODS = (
    ("meeting", "Meeting"),
    ("notice_board", "Notice board"),
    ("email", "E-mail"),
    ("induction", "Induction"),
    ("intranet", "Intranet"),
)


class PolicyCheck(Record):
    """One 5.2.1 point answered on one version, with the sentence that meets it."""

    display_plural = "Policy checks"
    version = ForeignKeyField(DocumentVersion, backref="checks", verbose_name="Version")
    version_id: str
    point = CharField(max_length=30, verbose_name="Point")
    met = BooleanField(default=False, verbose_name="Met")
    evidence = TextField(default="", verbose_name="Sentence that meets it")

    class Meta:
        indexes = ((("version", "point"), True),)

    def display_name(self) -> str:
        return f"{self.version.display_name()}: {self.point}"


class Communication(Record):
    """Who was told about a version, how and when (5.2.2, 7.4)."""

    display_plural = "Communications"
    version = ForeignKeyField(DocumentVersion, backref="communications", verbose_name="Version")
    version_id: str
    method = CharField(max_length=20, choices=COMMUNICATION_METHODS, verbose_name="How")
    communicated_on = DateField(verbose_name="When")
    audience = TextField(default="", verbose_name="Who was told")
    communicated_by = ForeignKeyField(Person, null=True, backref="communications_made",
                                      verbose_name="By")
    communicated_by_id: str | None

    def display_name(self) -> str:
        return f"{self.version.display_name()} by {self.method} on {self.communicated_on}"


class Acknowledgement(Record):
    """A person confirms they read and understood one version (7.3)."""

    display_plural = "Acknowledgements"
    version = ForeignKeyField(DocumentVersion, backref="acknowledgements",
                              verbose_name="Version")
    version_id: str
    person = ForeignKeyField(Person, backref="acknowledgements", verbose_name="Person")
    person_id: str
    acknowledged_on = DateField(verbose_name="Acknowledged on")

    class Meta:
        indexes = ((("version", "person"), True),)

    def display_name(self) -> str:
        return f"{self.person.display_name()} read {self.version.display_name()}"


class DutyAssignment(Record):
    """One of the five 5.3 duties given to a person or a role."""

    display_plural = "Duty assignments"
    duty = CharField(max_length=30, index=True, verbose_name="Duty")
    person = ForeignKeyField(Person, null=True, backref="duties", verbose_name="Person")
    person_id: str | None
    role = ForeignKeyField(Role, null=True, backref="duties", verbose_name="Role")
    role_id: str | None
    communicated_on = DateField(null=True, verbose_name="Communicated on")
    notes = TextField(default="", verbose_name="Notes")

    def display_name(self) -> str:
        return self.duty


RACI_LETTERS = (
    ("R", "Responsible"),
    ("A", "Accountable"),
    ("C", "Consulted"),
    ("I", "Informed"),
)


class RaciCell(Record):
    """One letter in the responsibility matrix: a process (or QMS activity) by a role."""

    display_plural = "RACI matrix"
    process = ForeignKeyField(Process, backref="raci_cells", verbose_name="Process or activity")
    process_id: str
    role = ForeignKeyField(Role, backref="raci_cells", verbose_name="Role")
    role_id: str
    letter = CharField(max_length=1, choices=RACI_LETTERS, verbose_name="R/A/C/I")

    class Meta:
        indexes = ((("process", "role"), True),)

    def display_name(self) -> str:
        return f"{self.process.display_name()} / {self.role.display_name()}: {self.letter}"


# --- Resources (7.1) ----------------------------------------------------------------------------

RESOURCE_KINDS = (
    ("people", "People and competence"),
    ("building", "Buildings and utilities"),
    ("equipment", "Equipment and machinery"),
    ("software", "Software"),
    ("transport", "Transport"),
    ("it", "IT and communication"),
    ("environment", "Working environment"),
    ("measuring", "Monitoring and measuring equipment"),
    ("knowledge", "Organisational knowledge"),
)
CALIBRATION_STATES = (
    ("in_service", "In service"),
    ("due", "Calibration due"),
    ("overdue", "Overdue"),
    ("out_of_service", "Out of service"),
)


class Resource(Record):
    display_plural = "Resources"
    kind = CharField(max_length=12, choices=RESOURCE_KINDS, verbose_name="Kind")
    name = CharField(max_length=200, verbose_name="Resource")
    description = TextField(default="", verbose_name="Description")
    location = CharField(max_length=200, default="", verbose_name="Location")
    owner = ForeignKeyField(Person, null=True, backref="resources", verbose_name="Owner")
    owner_id: str | None
    process = ForeignKeyField(Process, null=True, backref="resources", verbose_name="Process")
    process_id: str | None
    annual_budget_minor = IntegerField(null=True, verbose_name="Annual budget (minor units)")
    currency = CharField(max_length=3, default="", verbose_name="Currency")
    calibration_interval_months = IntegerField(null=True,
                                               verbose_name="Calibration every (months)")
    last_calibrated_on = DateField(null=True, verbose_name="Last calibrated")
    next_calibration_on = DateField(null=True, index=True, verbose_name="Next calibration")
    calibration_status = CharField(max_length=16, default="", choices=CALIBRATION_STATES,
                                   verbose_name="Calibration status")
    # Backrefs: the records that point here.
    calibrations: ModelSelect[Calibration]


class Calibration(Record):
    display_plural = "Calibrations"
    resource = ForeignKeyField(Resource, backref="calibrations", verbose_name="Instrument")
    resource_id: str
    calibrated_on = DateField(verbose_name="Calibrated on")
    result = CharField(max_length=20, default="pass", verbose_name="Result")
    certificate = CharField(max_length=100, default="", verbose_name="Certificate")
    calibrated_by = CharField(max_length=200, default="", verbose_name="Calibrated by")

    def display_name(self) -> str:
        return f"{self.resource.display_name()} {self.calibrated_on}"


DECISIONS = (
    ("pending", "Awaiting decision"),
    ("approved", "Approved"),
    ("deferred", "Deferred"),
    ("rejected", "Rejected"),
)


class ResourceRequest(Record):
    """A request for resources and top management's decision on it; money in minor units."""

    display_plural = "Resource requests"
    reference_prefix = "RR"
    reference_date = "requested_on"
    title = CharField(max_length=200, verbose_name="What is needed")
    reason = TextField(default="", verbose_name="Why")
    objective = ForeignKeyField(Objective, null=True, backref="resource_requests",
                                verbose_name="For objective")
    objective_id: str | None
    risk = ForeignKeyField(Risk, null=True, backref="resource_requests", verbose_name="For risk")
    risk_id: str | None
    process = ForeignKeyField(Process, null=True, backref="resource_requests",
                              verbose_name="For process")
    process_id: str | None
    amount_minor = IntegerField(default=0, verbose_name="Cost (minor units)")
    currency = CharField(max_length=3, verbose_name="Currency")
    requested_on = DateField(verbose_name="Requested on")
    requested_by = ForeignKeyField(Person, null=True, backref="resource_requests_made",
                                   verbose_name="Requested by")
    requested_by_id: str | None
    decision = CharField(max_length=10, default="pending", choices=DECISIONS, index=True,
                         verbose_name="Decision")
    decided_by = ForeignKeyField(Person, null=True, backref="resource_decisions",
                                 verbose_name="Decided by")
    decided_by_id: str | None
    decided_on = DateField(null=True, verbose_name="Decided on")
    decision_note = TextField(default="", verbose_name="Decision note")
    decided_by_top_management = BooleanField(default=False,
                                             verbose_name="Decided by top management")
    reference = CharField(max_length=30, default="", verbose_name="Reference")


ADEQUACY_VERDICTS = (
    ("adequate", "Adequate"),
    ("partly", "Partly adequate"),
    ("not", "Not adequate"),
)


class AdequacyStatement(Record):
    """Top management's verdict on resources for a period; review input d)."""

    display_plural = "Resource adequacy"
    period_start = DateField(verbose_name="Period from")
    period_end = DateField(verbose_name="Period to")
    verdict = CharField(max_length=10, choices=ADEQUACY_VERDICTS, verbose_name="Verdict")
    reasons = TextField(default="", verbose_name="Reasons")
    stated_by = ForeignKeyField(Person, null=True, backref="adequacy_statements",
                                verbose_name="Stated by")
    stated_by_id: str | None
    stated_on = DateField(verbose_name="Stated on")

    def display_name(self) -> str:
        return f"Resources {self.period_start} to {self.period_end}: {self.verdict}"


# --- Customer feedback and suppliers (9.1.2, 8.4) -----------------------------------------------

FEEDBACK_KINDS = (
    ("complaint", "Complaint"),
    ("compliment", "Compliment"),
    ("suggestion", "Suggestion"),
    ("survey", "Survey result"),
)


class Feedback(Record):
    display_plural = "Customer feedback"
    reference_prefix = "FB"
    reference_date = "received_on"
    kind = CharField(max_length=12, choices=FEEDBACK_KINDS, verbose_name="Kind")
    customer = CharField(max_length=200, verbose_name="Customer")
    received_on = DateField(index=True, verbose_name="Received on")
    product = CharField(max_length=200, default="", verbose_name="Product or service")
    severity = CharField(max_length=10, default="", choices=(("", "—"), *SEVERITIES),
                         verbose_name="Severity")
    description = TextField(verbose_name="What the customer said")
    response = TextField(default="", verbose_name="Our response")
    closed_on = DateField(null=True, verbose_name="Closed on")
    nonconformity = ForeignKeyField(Nonconformity, null=True, backref="feedback",
                                    verbose_name="Nonconformity raised")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    nonconformity_id: str | None

    def display_name(self) -> str:
        text = self.description
        short = text if len(text) <= 60 else text[:59].rsplit(" ", 1)[0] + "…"
        return f"{self.customer} {self.received_on}: {short}"


class SatisfactionResult(Record):
    """A customer satisfaction survey's result for one period."""

    display_plural = "Satisfaction results"
    period_start = DateField(verbose_name="Period")
    score = FloatField(verbose_name="Score")
    scale_max = FloatField(default=10, verbose_name="Out of")
    responses = IntegerField(verbose_name="Responses")
    method = CharField(max_length=200, default="", verbose_name="Method")

    def display_name(self) -> str:
        return f"Satisfaction {self.period_start:%Y-%m}: {self.score:g}/{self.scale_max:g}"


CRITICALITY = (("low", "Low"), ("medium", "Medium"), ("high", "High"))
SUPPLIER_STATES = (
    ("pending", "Pending approval"),
    ("approved", "Approved"),
    ("conditional", "Approved with conditions"),
    ("suspended", "Suspended"),
)


class Supplier(Record):
    display_plural = "Suppliers"
    reference_prefix = "SUP"
    name = CharField(max_length=200, verbose_name="Supplier")
    provides = TextField(default="", verbose_name="What they provide")
    criticality = CharField(max_length=6, default="medium", choices=CRITICALITY,
                            verbose_name="Criticality")
    approval = CharField(max_length=12, default="pending", choices=SUPPLIER_STATES,
                         verbose_name="Approval")
    contact = CharField(max_length=200, default="", verbose_name="Contact")
    reevaluation_due_on = DateField(null=True, verbose_name="Re-evaluation due")
    reference = CharField(max_length=30, default="", verbose_name="Reference")
    # Backrefs: the records that point here.
    evaluations: ModelSelect[SupplierEvaluation]


class SupplierEvaluation(Record):
    """Dated scores (1 to 5) on the four criteria."""

    display_plural = "Supplier evaluations"
    supplier = ForeignKeyField(Supplier, backref="evaluations", verbose_name="Supplier")
    supplier_id: str
    evaluated_on = DateField(verbose_name="Evaluated on")
    quality = IntegerField(verbose_name="Quality")
    delivery = IntegerField(verbose_name="Delivery")
    price = IntegerField(verbose_name="Price")
    responsiveness = IntegerField(verbose_name="Responsiveness")
    notes = TextField(default="", verbose_name="Notes")
    evaluated_by = ForeignKeyField(Person, null=True, backref="supplier_evaluations",
                                   verbose_name="Evaluated by")
    evaluated_by_id: str | None

    def display_name(self) -> str:
        return f"{self.supplier.display_name()} {self.evaluated_on}"


# --- Root cause and effectiveness (10.2) ----------------------------------------------------------

FISHBONE_CATEGORIES = (
    ("man", "People"),
    ("machine", "Machines"),
    ("method", "Methods"),
    ("material", "Materials"),
    ("measurement", "Measurement"),
    ("environment", "Environment"),
)


class WhyStep(Record):
    """One link of a 5-whys chain: the answer to "why?" at this depth."""

    display_plural = "5-whys steps"
    nonconformity = ForeignKeyField(Nonconformity, backref="why_steps",
                                    verbose_name="Nonconformity")
    nonconformity_id: str
    position = IntegerField(verbose_name="Step")
    answer = TextField(verbose_name="Because")

    class Meta:
        indexes = ((("nonconformity", "position"), True),)

    def display_name(self) -> str:
        return f"Why {self.position}: {self.answer[:60]}"


class FishboneCause(Record):
    display_plural = "Fishbone causes"
    nonconformity = ForeignKeyField(Nonconformity, backref="fishbone_causes",
                                    verbose_name="Nonconformity")
    nonconformity_id: str
    category = CharField(max_length=12, choices=FISHBONE_CATEGORIES, verbose_name="Category")
    cause = TextField(verbose_name="Cause")
    is_root = BooleanField(default=False, verbose_name="Root cause")

    def display_name(self) -> str:
        return f"{self.category}: {self.cause[:60]}"


EFFECTIVENESS_VERDICTS = (("effective", "Effective"), ("not_effective", "Not effective"))


class EffectivenessReview(Record):
    display_plural = "Effectiveness reviews"
    nonconformity = ForeignKeyField(Nonconformity, backref="effectiveness_reviews",
                                    verbose_name="Nonconformity")
    nonconformity_id: str
    reviewed_on = DateField(verbose_name="Reviewed on")
    verdict = CharField(max_length=14, choices=EFFECTIVENESS_VERDICTS, verbose_name="Verdict")
    notes = TextField(default="", verbose_name="Evidence")
    reviewed_by = ForeignKeyField(Person, null=True, backref="effectiveness_reviews",
                                  verbose_name="Reviewed by")
    reviewed_by_id: str | None

    def display_name(self) -> str:
        return f"{self.nonconformity.display_name()}: {self.verdict} ({self.reviewed_on})"


# --- Audit checklists (9.2) ----------------------------------------------------------------------


class ChecklistTemplate(Record):
    display_plural = "Checklist templates"
    name = CharField(max_length=200, verbose_name="Checklist")
    clause = CharField(max_length=20, default="", verbose_name="Clause")
    description = TextField(default="", verbose_name="Description")
    # Backrefs: the records that point here.
    questions: ModelSelect[ChecklistQuestion]


class ChecklistQuestion(Record):
    display_plural = "Checklist questions"
    template = ForeignKeyField(ChecklistTemplate, backref="questions", verbose_name="Checklist")
    template_id: str
    position = IntegerField(verbose_name="Order")
    clause = CharField(max_length=20, default="", verbose_name="Clause")
    question = TextField(verbose_name="Question")
    guidance = TextField(default="", verbose_name="What to look for")

    def display_name(self) -> str:
        return f"{self.template.display_name()} Q{self.position}"


# --- Competence (7.2) ----------------------------------------------------------------------------


class Competence(Record):
    """A competence a role requires."""

    display_plural = "Required competences"
    role = ForeignKeyField(Role, backref="competences", verbose_name="Role")
    role_id: str
    name = CharField(max_length=200, verbose_name="Competence")
    description = TextField(default="", verbose_name="Description")
    renew_every_months = IntegerField(null=True, verbose_name="Renew every (months)")
    # Backrefs: the records that point here.
    training_records: ModelSelect[TrainingRecord]


TRAINING_KINDS = (
    ("training", "Training"),
    ("qualification", "Qualification"),
    ("experience", "Experience"),
)


class TrainingRecord(Record):
    display_plural = "Training records"
    person = ForeignKeyField(Person, backref="training_records", verbose_name="Person")
    person_id: str
    competence = ForeignKeyField(Competence, null=True, backref="training_records",
                                 verbose_name="Competence")
    competence_id: str | None
    title = CharField(max_length=200, verbose_name="Training or experience")
    kind = CharField(max_length=14, default="training", choices=TRAINING_KINDS,
                     verbose_name="Kind")
    completed_on = DateField(verbose_name="Completed on")
    expires_on = DateField(null=True, verbose_name="Expires on")
    provider = CharField(max_length=200, default="", verbose_name="Provider")
    evidence = TextField(default="", verbose_name="Evidence")


# --- Attachments ---------------------------------------------------------------------------------


class Attachment(Record):
    """A file kept inside the database, on any record (evidence photos, certificates)."""

    display_plural = "Attachments"
    table_name = CharField(max_length=40, verbose_name="Register")
    record_id = CharField(max_length=36, index=True, verbose_name="Record")
    file_name = CharField(max_length=255, verbose_name="File")
    content_type = CharField(max_length=100, default="", verbose_name="Type")
    size = IntegerField(verbose_name="Size (bytes)")
    sha256 = CharField(max_length=64, verbose_name="SHA-256")
    data = BlobField(verbose_name="Content")

    def display_name(self) -> str:
        return self.file_name


# --- Management review records (9.3) ------------------------------------------------------------


class ReviewAttendance(Record):
    display_plural = "Review attendance"
    review = ForeignKeyField(ManagementReview, backref="attendance", verbose_name="Review")
    review_id: str
    person = ForeignKeyField(Person, backref="review_attendance", verbose_name="Person")
    person_id: str
    role_label = CharField(max_length=200, default="", verbose_name="Attending as")
    present = BooleanField(default=True, verbose_name="Present")
    is_top_management = BooleanField(default=False, verbose_name="Top management")

    class Meta:
        indexes = ((("review", "person"), True),)

    def display_name(self) -> str:
        return f"{self.person.display_name()} at {self.review.display_name()}"


class ReviewInput(Record):
    """The meeting's commentary and conclusion on one required input (a to f, c1 to c7)."""

    display_plural = "Review inputs"
    review = ForeignKeyField(ManagementReview, backref="inputs", verbose_name="Review")
    review_id: str
    code = CharField(max_length=4, verbose_name="Input")
    commentary = TextField(default="", verbose_name="Commentary")
    conclusion = TextField(default="", verbose_name="Conclusion")

    class Meta:
        indexes = ((("review", "code"), True),)

    def display_name(self) -> str:
        return f"{self.review.display_name()} input {self.code}"


DECISION_KINDS = (
    ("improvement", "Improvement"),
    ("qms_change", "Change to the QMS"),
    ("resource", "Resource need"),
)


class ReviewDecision(Record):
    display_plural = "Review decisions"
    reference_prefix = "DEC"
    review = ForeignKeyField(ManagementReview, backref="decisions", verbose_name="Review")
    review_id: str
    kind = CharField(max_length=12, choices=DECISION_KINDS, verbose_name="Type")
    description = TextField(verbose_name="Decision")
    owner = ForeignKeyField(Person, null=True, backref="review_decisions", verbose_name="Owner")
    owner_id: str | None
    due_on = DateField(null=True, verbose_name="Due")
    action = ForeignKeyField(Action, null=True, backref="review_decisions", verbose_name="Action")
    action_id: str | None
    answers_table = CharField(max_length=40, default="", verbose_name="Answers register")
    answers_id = CharField(max_length=36, default="", verbose_name="Answers record")
    reference = CharField(max_length=30, default="", verbose_name="Reference")

    def display_name(self) -> str:
        return self.description[:80]


class ReviewPack(Record):
    """A generated pack; the one made at closing is frozen with its SHA-256."""

    display_plural = "Review packs"
    review = ForeignKeyField(ManagementReview, backref="packs", verbose_name="Review")
    review_id: str
    pack_version = IntegerField(verbose_name="Pack version")
    is_final = BooleanField(default=False, verbose_name="Final")
    generated_at = DateTimeField(verbose_name="Generated")
    sha256 = CharField(max_length=64, verbose_name="SHA-256")
    pdf = BlobField(verbose_name="PDF")
    # The assembled inputs as JSON: a closed review's pack is rebuilt from this, never from
    # records that may have changed since, so it comes out byte for byte the same.
    snapshot = TextField(default="", verbose_name="Data snapshot")

    def display_name(self) -> str:
        return f"{self.review.display_name()} pack v{self.pack_version}"


# --- Who may sign in to a server (team mode) -----------------------------------------------------

ACCOUNT_ROLES = tuple(ROLE_LABELS.items())


class Account(Record):
    """A person's sign-in on a server: their PostgreSQL login role and their role here
    (accounts.py). A file never has one: it has no sign-in."""

    display_plural = "Accounts"
    login = CharField(max_length=63, unique=True, verbose_name="Login")
    person = ForeignKeyField(Person, backref="accounts", verbose_name="Person")
    person_id: str
    role = CharField(max_length=20, choices=ACCOUNT_ROLES, verbose_name="Role",
                     constraints=[Check("role IN ("
                                        + ", ".join(f"'{r}'" for r in ROLE_LABELS) + ")")])

    def display_name(self) -> str:
        return f"{self.person.display_name()} ({self.login})"


# --- The one change history ---------------------------------------------------------------------


class ChangeHistory(BaseModel):
    """Who changed which record, when, and what changed; written with the change itself."""

    id = AutoField(verbose_name="Entry")
    changed_at = DateTimeField(default=utc_now, verbose_name="When")
    changed_by = CharField(max_length=200, verbose_name="Who")
    table_name = CharField(max_length=40, verbose_name="Register")
    record_id = CharField(max_length=36, index=True, verbose_name="Record")
    operation = CharField(max_length=10, verbose_name="Change")
    changes = TextField(default="{}", verbose_name="What changed")
    # The hash chain (history_chain.py): the entry before's hash, and this entry's own.
    previous_hash = CharField(max_length=64, default="", verbose_name="Previous entry's hash")
    row_hash = CharField(max_length=64, default="", verbose_name="Entry hash")


# Every table, in an order where a table comes after those it points at.
ALL_MODELS: tuple[type[BaseModel], ...] = (
    Organisation,
    Site,
    Setting,
    Person,
    Role,
    PersonRole,
    Process,
    Document,
    DocumentVersion,
    Risk,
    Objective,
    Kpi,
    Reading,
    Nonconformity,
    Audit,
    Finding,
    AuditKit,
    ManagementReview,
    Action,
    PolicyCheck,
    Communication,
    Acknowledgement,
    DutyAssignment,
    RaciCell,
    Resource,
    Calibration,
    ResourceRequest,
    AdequacyStatement,
    ContextIssue,
    ClimateDecision,
    InterestedParty,
    PartyRequirement,
    ScopeItem,
    Feedback,
    SatisfactionResult,
    Supplier,
    SupplierEvaluation,
    WhyStep,
    FishboneCause,
    EffectivenessReview,
    ChecklistTemplate,
    ChecklistQuestion,
    Competence,
    TrainingRecord,
    Attachment,
    ReviewAttendance,
    ReviewInput,
    ReviewDecision,
    ReviewPack,
    Account,
    ChangeHistory,
)

# Business records (archivable, exportable, shown in registers).
RECORD_MODELS: tuple[type[Record], ...] = tuple(
    m for m in ALL_MODELS if issubclass(m, Record)
)

MODELS_BY_TABLE: dict[str, type[BaseModel]] = {m._meta.table_name: m for m in ALL_MODELS}

# The registers with a readable reference, each unique where given (blank is not a reference:
# a copy rebuilt from an older history holds rows from before references were given).
REFERENCED_MODELS: tuple[type[Record], ...] = tuple(m for m in RECORD_MODELS
                                                   if m.reference_prefix)
for _model in REFERENCED_MODELS:
    _reference = _model._meta.fields["reference"]
    _model.add_index(_model.index(_reference, unique=True, where=(_reference != ""),
                                  name=f"{_model._meta.table_name}_reference"))


# Kept by the database for itself: neither content the history seals nor a column to export.
BOOKKEEPING_FIELDS = ("created_at", "updated_at", "row_version")


def field_label(field: Any) -> str:
    return str(field.verbose_name or field.name.replace("_", " ").capitalize())
