"""Audit checklist templates, and a starter set: one per clause 4 to 10.

The starter questions are our own practical wording for a small business's internal
auditor, each with what to look for on the day; none of it is text of the standard.
Installing them is idempotent: a template is created only when none of that name exists
(an archived one counts, so a template the user retired does not come back).
"""

from __future__ import annotations

from dataclasses import dataclass

from qms_desktop import records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import ChecklistQuestion, ChecklistTemplate, database, is_live


@dataclass(frozen=True)
class StarterQuestion:
    clause: str
    question: str
    guidance: str


@dataclass(frozen=True)
class StarterTemplate:
    name: str
    clause: str
    description: str
    questions: tuple[StarterQuestion, ...]


Q = StarterQuestion

STARTER_TEMPLATES: tuple[StarterTemplate, ...] = (
    StarterTemplate(
        "Clause 4: Context of the organisation",
        "4",
        "Does the business know its situation, who it serves and how its work is organised?",
        (
            Q("4.1", "Which issues inside and outside the business most affect what it can "
                     "deliver, and when were they last looked at?",
              "A dated list of issues (market, people, technology, money, rules). Ask the "
              "owner to name two without looking; compare with the list."),
            Q("4.1", "Has the business decided whether climate change matters to it, and why?",
              "A recorded yes or no with a reason that fits the business, such as weather "
              "risk to deliveries or customers asking for carbon figures."),
            Q("4.2", "Who are the interested parties and what do they expect of the business?",
              "Customers, staff, owners, suppliers, regulators at least. Each has concrete "
              "expectations, not generic ones, and someone reviewed them recently."),
            Q("4.3", "Is the scope written down, current, and does it match what the business "
                     "actually sells and where it works?",
              "Compare the scope's products and sites with the price list, website and "
              "delivery notes. Every part not applied has a sensible justification."),
            Q("4.4", "Can the people running a process describe its inputs, outputs, owner and "
                     "how they know it works?",
              "Pick one process. The owner named on paper is the one who answers. Look "
              "for a measure with recent results and known risks."),
            Q("4.4", "When a process changed recently, were its description and measures "
                     "updated?",
              "Ask what changed in the last year (new machine, new software, new site). "
              "Check that the process record shows it."),
        ),
    ),
    StarterTemplate(
        "Clause 5: Leadership",
        "5",
        "Is top management visibly in charge of quality, not only the quality officer?",
        (
            Q("5.1", "How does the owner or managing director take part in the quality system "
                     "month to month?",
              "Their name on reviews, approvals and decisions; minutes showing they chaired "
              "or attended. Be wary if every record is signed by the quality officer."),
            Q("5.1.2", "How does management keep customer requirements and satisfaction in "
                       "view?",
              "Complaint and satisfaction figures discussed at management meetings; "
              "examples of decisions made because of a customer."),
            Q("5.2", "Is the quality policy approved, current and suited to this business?",
              "An approved version with a date and approver from top management. It "
              "mentions meeting requirements, improving, and gives a basis for objectives."),
            Q("5.2", "Do staff know the policy and what it means for their own job?",
              "Ask two or three people on the floor. Look for records of who was told and "
              "who confirmed reading the current version."),
            Q("5.3", "Is a named person responsible for each of the key quality duties, and "
                     "do they know it?",
              "Names for: system conformity, processes delivering, reporting performance, "
              "customer focus, keeping the system intact during change. Ask one of them."),
            Q("5.3", "When someone left or changed job, were their quality responsibilities "
                     "handed over?",
              "Take a recent leaver. Their processes, risks and open actions now have an "
              "owner who is still employed."),
        ),
    ),
    StarterTemplate(
        "Clause 6: Planning",
        "6",
        "Are risks, opportunities and objectives planned and followed through?",
        (
            Q("6.1", "Are the main risks and opportunities written down, scored and linked to "
                     "the issues and parties that cause them?",
              "A register with likelihood and impact, an owner and a review date. The "
              "biggest issues from the context show up here."),
            Q("6.1", "For the highest risks, what was done and did it work?",
              "Actions in the tracker with owners and dates, completed with evidence, and a "
              "recorded judgement of whether the risk went down."),
            Q("6.2", "Are the quality objectives measurable and consistent with the policy?",
              "Each objective has a number and a target date. You can trace it to a line of "
              "the policy."),
            Q("6.2", "Does each objective have a plan: what, who, with what resources, by "
                     "when, and how success is judged?",
              "Pick one objective and ask its owner to walk you through the plan and the "
              "latest results."),
            Q("6.2", "Are objectives monitored, and what happens when one falls behind?",
              "Recent readings for the measures; a falling one has an action or a decision "
              "recorded, not silence."),
            Q("6.3", "When the quality system was last changed, was the change planned?",
              "Examples: new site, restructuring, new software. Look for the purpose, the "
              "consequences thought through, resources and who took over what."),
        ),
    ),
    StarterTemplate(
        "Clause 7: Support",
        "7",
        "Does the business have the people, equipment, knowledge and documents it needs?",
        (
            Q("7.1", "Were resource needs raised, decided by management and funded?",
              "Requests with a decision, who made it and when. Ask whether anything needed "
              "was refused and what happened next."),
            Q("7.1.5", "Is measuring equipment calibrated or checked, identified, and "
                       "protected from being used when out of date?",
              "Take two instruments from the floor. Their labels, certificates and due dates "
              "match the register; nothing overdue is in use."),
            Q("7.1.6", "How is know-how kept when experienced people leave?",
              "Work instructions, lessons learned, training of a second person for key tasks."),
            Q("7.2", "Does each role have defined competences, and are there records showing "
                     "people meet them?",
              "Pick two people. Compare their role's requirements with their training, "
              "qualification or experience records. Look for expired certificates."),
            Q("7.3", "Do people know how their work affects quality and what happens when "
                     "things go wrong?",
              "Ask a newer employee. They can name their part in the objectives and how "
              "they would report a problem."),
            Q("7.4", "Is it clear what is communicated about quality, to whom, when and by "
                     "whom?",
              "A simple communication plan or routine (team meetings, notice board) and "
              "evidence it happens."),
            Q("7.5", "Are documents in use the current approved versions, and are records "
                     "kept safe and retrievable?",
              "Take a document from a workstation and compare its version with the master "
              "list. Ask for a record from last year and time how long it takes to find."),
        ),
    ),
    StarterTemplate(
        "Clause 8: Operation",
        "8",
        "Is the work itself planned, controlled and checked before it reaches the customer?",
        (
            Q("8.1", "How is the work planned so that output meets requirements?",
              "Job sheets, schedules, acceptance criteria known before work starts."),
            Q("8.2", "Before accepting an order, does the business check it can meet what "
                     "was asked?",
              "A recent order or quote: requirements confirmed, changes agreed in writing, "
              "no surprises found later."),
            Q("8.3", "If the business designs products or services, are design steps, "
                     "reviews and approvals recorded?",
              "Inputs, reviews, verification and approval for one recent design. Mark not "
              "applicable if design is excluded from the scope with a reason."),
            Q("8.4", "Are suppliers chosen, evaluated and re-evaluated on defined criteria?",
              "Approved supplier list, dated evaluations with scores, and follow-up of poor "
              "scores. Ask how a new supplier was chosen."),
            Q("8.5", "Is work carried out under controlled conditions, with traceability "
                     "where needed?",
              "Instructions at the point of use, suitable equipment, identification of "
              "batches or jobs. Follow one order from start to finish."),
            Q("8.6", "Who releases product or service to the customer, and on what evidence?",
              "Inspection or check records, the name of the person releasing, criteria met."),
            Q("8.7", "What happens to output that does not conform?",
              "Marked or separated, a record of the decision (rework, concession, scrap) and "
              "who made it. Ask to see one recent case."),
        ),
    ),
    StarterTemplate(
        "Clause 9: Performance evaluation",
        "9",
        "Does the business measure, analyse, audit and review how well its system works?",
        (
            Q("9.1", "What is measured, how often, and are results kept and looked at?",
              "A set of measures with recent results, no unexplained gaps, and signs that "
              "someone acts on them."),
            Q("9.1.2", "How does the business learn what customers think of it?",
              "Surveys, complaints, compliments, returns. Results for recent periods and a "
              "trend shown to management."),
            Q("9.1.3", "Are the data analysed to draw conclusions, not only collected?",
              "Trends, comparisons against target, conclusions written in the review."),
            Q("9.2", "Is there an audit programme covering all processes and clauses over a "
                     "sensible period?",
              "A programme with dates, scope and criteria; more frequent audits where "
              "problems or changes occurred."),
            Q("9.2", "Are auditors impartial, and are findings reported and followed up?",
              "No one audits their own work. Completed audits have reports, and findings "
              "became nonconformities or actions that are closed."),
            Q("9.3", "Are management reviews held as planned and do they cover every "
                     "required input?",
              "Dated minutes, top management present, each input discussed including risk "
              "action effectiveness and improvement opportunities."),
            Q("9.3", "Did the review end in decisions with owners and dates, and were "
                     "earlier ones followed up?",
              "Decisions on improvement, changes and resources in the tracker; the previous "
              "review's actions show their status at the next review."),
        ),
    ),
    StarterTemplate(
        "Clause 10: Improvement",
        "10",
        "Are problems corrected at their root, and does the business get better over time?",
        (
            Q("10.2", "When something goes wrong, is it contained and corrected promptly?",
              "Recent nonconformities: what was done immediately, how quickly, and how "
              "affected products or customers were handled."),
            Q("10.2", "Is the root cause found, rather than the symptom fixed?",
              "5-whys or fishbone records that reach a cause someone can act on. Be wary of "
              "\"operator error\" as the final answer."),
            Q("10.2", "Were similar problems looked for elsewhere?",
              "A note of whether the same cause could occur on other lines, sites or "
              "products, and what was found."),
            Q("10.2", "Were corrective actions checked for effectiveness before closing?",
              "A dated effectiveness review with evidence (the problem has not come back) "
              "before the nonconformity was closed; reasons recorded for any exception."),
            Q("10.2", "Did corrective actions lead to updates of risks or of the system where "
                      "needed?",
              "Risk register or procedures changed after a significant nonconformity."),
            Q("10.3", "Can management show improvements made in the last year and where the "
                      "ideas came from?",
              "Examples tied to reviews, audits, staff suggestions or data analysis, with "
              "results."),
        ),
    ),
)


@strict_arguments
def templates(include_archived: bool = False) -> list[ChecklistTemplate]:
    query = ChecklistTemplate.select()
    if not include_archived:
        query = query.where(is_live(ChecklistTemplate))
    return list(query.order_by(ChecklistTemplate.name))


@strict_arguments
def questions_of(template: ChecklistTemplate) -> list[ChecklistQuestion]:
    return list(
        ChecklistQuestion.live()
        .where(ChecklistQuestion.template == template)
        .order_by(ChecklistQuestion.position)
    )


@strict_arguments
def create_template(name: str, clause: str = "", description: str = "") -> ChecklistTemplate:
    if not (name or "").strip():
        raise ValidationError({"name": "Name the checklist."})
    if ChecklistTemplate.select().where(ChecklistTemplate.name == name.strip()).exists():
        raise ValidationError({"name": f"A checklist called {name.strip()} already exists."})
    return records.create(ChecklistTemplate, name=name.strip(), clause=clause.strip(),
                          description=description.strip())


@strict_arguments
def add_question(template: ChecklistTemplate, question: str, guidance: str = "",
                 clause: str = "") -> ChecklistQuestion:
    if not (question or "").strip():
        raise ValidationError({"question": "Write the question."})
    position = max((q.position for q in questions_of(template)), default=0) + 1
    return records.create(ChecklistQuestion, template=template, position=position,
                          clause=clause.strip() or template.clause, question=question.strip(),
                          guidance=guidance.strip())


@strict_arguments
def edit_question(checklist_question: ChecklistQuestion, question: str, guidance: str = "",
                  clause: str = "") -> ChecklistQuestion:
    """New wording for a checklist's question; audits that copied it keep their own."""
    if not (question or "").strip():
        raise ValidationError({"question": "Write the question."})
    template = checklist_question.template
    return records.update(checklist_question, question=question.strip(),
                          guidance=guidance.strip(),
                          clause=clause.strip() or template.clause)


@strict_arguments
def remove_question(checklist_question: ChecklistQuestion) -> ChecklistQuestion:
    """Take a question off its checklist; it is archived, so the history still shows it."""
    return records.archive(checklist_question)


@strict_arguments
def install_starter_templates() -> list[ChecklistTemplate]:
    """Create the starter templates missing by name; returns those created."""
    existing = {t.name for t in templates(include_archived=True)}
    created = []
    with database.atomic():
        for starter in STARTER_TEMPLATES:
            if starter.name in existing:
                continue
            template = records.create(ChecklistTemplate, name=starter.name,
                                      clause=starter.clause, description=starter.description)
            for position, q in enumerate(starter.questions, start=1):
                records.create(ChecklistQuestion, template=template, position=position,
                               clause=q.clause, question=q.question, guidance=q.guidance)
            created.append(template)
    return created
