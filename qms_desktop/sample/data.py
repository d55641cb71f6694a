"""The sample company's fixed tables: its people, roles, processes, risks, texts."""

from __future__ import annotations

import datetime as dt
from typing import Any

SAMPLE_AUTHOR = "Sample data"


COMPANY = "Northbank Precision Components Ltd"


DOMAIN = "northbank-precision.ie"


EPOCH = dt.datetime(1970, 1, 1)


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

All requirements of ISO 9001 apply except installation and servicing after delivery \
(8.5.5), because we supply parts only. Surface treatments (anodising, plating, painting) are \
bought in and controlled through the purchasing process."""


# kind, name, clause, justification
SCOPE_ITEMS = (
    ("product", "Precision CNC-machined components in aluminium, steel, stainless steel and "
     "brass, to customer drawings", "", ""),
    ("product", "Fabricated and welded assemblies and sheet-metal parts", "", ""),
    ("product", "Design and manufacturing engineering of parts and fixtures for customers", "",
     ""),
    ("site", "Northbank Works, Ballycoolin, Dublin 15", "", ""),
    ("site", "Finishing & Dispatch unit, Kilcock Road, Maynooth", "", ""),
    ("exclusion", "Post-delivery activities: installation and servicing", "8.5.5",
     "We deliver parts to manufacturers who build them into their own products; we do not "
     "install, commission or service anything in the field. Returns and warranty claims are "
     "handled as complaints and nonconformities under 8.7 and 10.2."),
)


# point -> the sentence of each approved policy version that meets it
POLICY_EVIDENCE = {
    1: {"purpose": "Northbank Precision Components makes precision parts to our customers' "
                   "drawings.",
        "objectives_framework": "We will set quality objectives every year and check them at "
                                "our management review.",
        "requirements": "We will meet our customers' requirements and the law",
        "improvement": "keep improving the way we work"},
    2: {"purpose": "Northbank Precision Components makes machined and fabricated metal parts "
                   "that our customers build into pumps, valves, machines and vehicles.",
        "objectives_framework": "set measurable quality objectives each year, linked to this "
                                "policy and to our business plan, and check progress against "
                                "them every month;",
        "requirements": "understand and meet every requirement our customers give us, together "
                        "with the laws and regulations that apply to our products and our "
                        "sites;",
        "improvement": "continually improve our quality management system, our processes and "
                       "our products."},
}


# QMS activities that sit in the RACI matrix beside the processes
ACTIVITIES = (
    ("review", "Management review", "md",
     "Review inputs a) to f), the review pack, attendance of top management",
     "Decisions and actions, resource decisions, minutes and the frozen pack"),
    ("audits", "Internal audit programme", "qm",
     "Process risks, previous results, changes, customer and certification requirements",
     "Audit programme, audit reports, findings and the nonconformities they raise"),
)


# Process or activity key -> role title -> letter. Dispatch is deliberately left without an R:
# the Stores & Dispatch role was entered as I, which the matrix check reports.
RACI = {
    "sales": {"Managing Director": "A", "Sales Manager": "R", "Engineering Manager": "C",
              "Production Supervisor": "C", "Quality Manager": "I"},
    "design": {"Operations Director": "A", "Engineering Manager": "R", "Quality Manager": "C",
               "Production Supervisor": "C", "Machine Operator": "I"},
    "purchasing": {"Operations Director": "A", "Purchasing Coordinator": "R",
                   "Quality Manager": "C", "Stores & Dispatch": "I"},
    "production": {"Operations Director": "A", "Production Supervisor": "R",
                   "Machine Operator": "R", "Welder": "R", "Engineering Manager": "C",
                   "Quality Inspector": "C", "Quality Manager": "I"},
    "inspection": {"Quality Manager": "A", "Quality Inspector": "R",
                   "Production Supervisor": "I", "Operations Director": "I"},
    "dispatch": {"Operations Director": "A", "Sales Manager": "C", "Stores & Dispatch": "I",
                 "Quality Inspector": "I"},
    "maintenance": {"Operations Director": "A", "Maintenance Lead": "R",
                    "Production Supervisor": "C", "Quality Manager": "I"},
    "hr": {"Managing Director": "A", "HR & Training Coordinator": "R",
           "Production Supervisor": "C", "Quality Manager": "I"},
    "review": {"Managing Director": "A", "Quality Manager": "R", "Operations Director": "C",
               "Sales Manager": "C", "Production Supervisor": "I", "Engineering Manager": "I"},
    "audits": {"Quality Manager": "A", "Internal Auditor": "R", "Managing Director": "I",
               "Operations Director": "I"},
}


# duty, holder ("person:key" or "role:title"), notes. Customer focus (5.3 d) is left
# unassigned on purpose: the duties screen shows the gap.
DUTIES_GIVEN = (
    ("conformity", "person:qm", "Named in the quality manual and in the Quality Manager's job "
     "description."),
    ("process_outputs", "role:Operations Director", "Each process owner reports to the "
     "Operations Director, who answers for the outputs of all eight processes."),
    ("reporting", "person:qm", "Monthly quality report to the directors and the management "
     "review pack."),
    ("integrity_during_change", "person:md", "Changes to people, machines or sites go through "
     "the change checklist signed by the Managing Director."),
)


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
    # No target yet, on purpose: the objective it measures is flagged "not measurable".
    ("training", "Training plan completion (rolling 12 months)", "%", "higher", None, 80.0, 70.0,
     "hr", "hr", "training", 75.0, 92.0, 4.0, 0, (), ()),
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
# The last one breaks impartiality on purpose: the Quality Manager owns inspection.
PLANNED_AUDITS = (("sales", "qi1", 20), ("production", "qm", 55), ("purchasing", "me", 110),
                  ("inspection", "qm", 150))


# Treatments and verdicts as the risk register stores them (risks.RISK_TREATMENTS keys).
TREATMENT_KEYS = {"Reduce likelihood": "change_likelihood", "Reduce impact": "change_consequence",
                  "Remove the source": "remove_source", "Share": "share", "Pursue": "pursue",
                  "Retain (accepted)": "retain", "Avoid": "avoid"}


VERDICT_KEYS = {"Effective": "effective", "Partly effective": "partly",
                "Not effective": "not_effective", "Not yet assessed": "", "": ""}


# Where each of RISKS comes from: "issue:key" or "party:key" (None: found on the floor)
RISK_SOURCES = ("party:stockists", "issue:capacity", "party:customers", "party:customers",
                "issue:digital", "party:customers", "issue:skills", None, "issue:energy",
                "issue:climate", "party:stockists", "issue:key_person", "issue:medical",
                "issue:capacity", "party:customers", "issue:skills")


# kind, process, owner, title, description, L, I, treatment, residual L, I, source,
# days since raised, verdict once its actions are done, actions (title, fate)
MORE_RISKS: tuple[tuple[Any, ...], ...] = (
    ("risk", "sales", "sal", "Hydraflow Systems is 30% of sales",
     "Losing or shrinking the Hydraflow account would leave the machine shop half empty.",
     3, 4, "change_consequence", 2, 4, "party:owners", 520, "partly",
     (("Win two new accounts outside the hydraulics sector", "open"),)),
    ("risk", "sales", "est", "Quotation errors on complex 5-axis parts",
     "Cycle times for new 5-axis parts are estimated by hand; two jobs last year lost money.",
     3, 3, "change_likelihood", 2, 3, "party:customers", 240, "effective",
     (("Second-person check on every quotation over EUR 10,000", "done"),)),
    ("risk", "production", "ps", "First-off inspection skipped under time pressure",
     "On rush jobs setters have started batches before the first-off was signed.",
     2, 4, "change_likelihood", 1, 4, "issue:culture", 300, "effective",
     (("Block the traveller in the ERP until the first-off is signed", "done"),)),
    ("risk", "production", "ps", "Parts of two revisions mixed in one crate",
     "When a revision changes mid-order, old and new parts can end up in the same crate.",
     2, 4, "change_likelihood", 1, 3, "party:customers", 610, "", ()),
    ("risk", "production", "mnt", "Loss of compressed air stops the machine shop",
     "One compressor feeds every machine; a failure stops all work at Northbank.",
     2, 4, "change_consequence", 2, 2, "issue:capacity", 200, "effective",
     (("Service the compressor and fit a standby unit", "done"),)),
    ("risk", "inspection", "qm", "CMM breakdown delays release of parts",
     "Parts with tight positional tolerances can only be released after a CMM check.",
     2, 4, "change_consequence", 2, 2, "issue:capacity", 450, "effective",
     (("Agree emergency CMM time with a neighbouring toolmaker", "done"),)),
    ("risk", "inspection", "qi2", "Only one person can program the CMM",
     "Jürgen writes every CMM program; holidays already cause a queue at inspection.",
     3, 3, "change_likelihood", 2, 3, "issue:key_person", 230, "effective",
     (("Train Priya Raghunathan in CMM programming", "late"),)),
    ("risk", "purchasing", "pur", "Anodising subcontractor at full capacity",
     "Our anodiser is turning work away; lead times went from five to twelve days.",
     3, 3, "change_likelihood", 2, 3, "party:subcon", 150, "",
     (("Approve a second anodiser after a trial batch", "open"),)),
    ("risk", "purchasing", "pur", "Customs delays on material bought from the UK",
     "Since Brexit some UK bar deliveries wait days at Dublin port for paperwork.",
     3, 2, "change_consequence", 2, 2, "issue:steel", 700, "", ()),
    ("risk", "purchasing", "gin", "Mill certificates not checked against the order",
     "A certificate for the wrong grade could be accepted at goods-in without anyone noticing.",
     2, 4, "remove_source", 1, 4, "party:stockists", 600, "effective",
     (("Certificate-against-order check with sign-off at goods-in", "done"),)),
    ("risk", "dispatch", "od", "Courier loses or delays urgent shipments",
     "Express parcels to the UK and Poland are sometimes held for days.",
     2, 3, "share", 2, 2, "party:customers", 380, "", ()),
    ("risk", "dispatch", "dsp", "Wrong labels on mixed-customer pallets",
     "Hand-written labels on shared pallets have sent parts to the wrong goods-in.",
     2, 3, "change_likelihood", 1, 3, "party:customers", 280, "effective",
     (("Print every label from the ERP", "done"),)),
    ("risk", "maintenance", "mnt", "Spare parts for the Haas lathe becoming obsolete",
     "The control boards are no longer made; the lathe is due for replacement in two years.",
     2, 3, "retain", None, None, "issue:capacity", 540, "", ()),
    ("risk", "maintenance", "mnt", "Preventive maintenance slips when production is busy",
     "Planned maintenance is the first thing dropped in a busy week.",
     3, 3, "change_likelihood", 2, 3, "issue:capacity", 260, "not_effective",
     (("Book maintenance slots in the production plan", "done"),)),
    ("risk", "maintenance", "mt2", "Storm damage to the Maynooth unit roof",
     "Climate change: stronger winter storms; the Maynooth roof leaked twice last winter.",
     1, 4, "share", 1, 2, "issue:climate", 330, "", ()),
    ("risk", "hr", "hr", "Agency operators start without induction",
     "Agency staff booked at short notice for nights sometimes start before induction.",
     3, 3, "change_likelihood", 1, 3, "issue:skills", 90, "",
     (("Induction checklist signed before any first shift", "week"),)),
    ("risk", "hr", "hr", "Difficulty recruiting experienced machinists",
     "Two adverts for setter-operators had no suitable applicants in six months.",
     4, 3, "change_consequence", 3, 2, "issue:skills", 400, "partly",
     (("Start the apprentice scheme with the ETB", "done"),)),
    ("risk", "hr", "hr", "Training records incomplete for the night shift",
     "Night-shift training is given by team leaders and not always written up.",
     3, 2, "change_likelihood", 2, 2, "party:cert_body", 180, "", ()),
    ("risk", "design", "eng", "Customer 3D model and drawing disagree",
     "Customers send models and drawings that differ; programming from the model can be wrong.",
     3, 3, "change_likelihood", 2, 2, "issue:digital", 210, "effective",
     (("Add a model-against-drawing check to contract review", "done"),)),
    ("risk", "design", "eng", "CAM post-processor error after a software update",
     "An update to the CAM system could change the code sent to the DMU 65 without warning.",
     2, 4, "change_likelihood", 1, 4, "issue:digital", 480, "", ()),
    ("risk", "design", "eng", "Loss of CNC programs from the DNC server",
     "Eight years of proven programs sit on one server in the office.",
     1, 5, "change_consequence", 1, 2, "issue:erp", 160, "effective",
     (("Nightly off-site backup of the program library", "done"),)),
    ("risk", "sales", "sal", "REACH declaration requests not answered in time",
     "Customers increasingly ask for REACH and RoHS statements before they release an order.",
     3, 2, "change_likelihood", 1, 2, "issue:regs", 190, "effective",
     (("Keep a REACH statement on file for every material we buy", "done"),)),
    ("risk", "production", "ps", "Waste coolant and oil not disposed of correctly",
     "Disposal records are kept by the contractor only; a lost record could mean a fine.",
     1, 4, "change_likelihood", 1, 2, "party:epa", 620, "", ()),
    ("risk", "production", "op2", "Machine crash damaging a spindle",
     "A crash on the DMU 65 costs weeks of downtime and a five-figure repair.",
     2, 5, "change_likelihood", 1, 5, "issue:capacity", 45, "",
     (("Simulate every new program before its first run on the DMU 65", "open"),)),
    ("risk", "inspection", "qm", "Customer-specific requirements missed at final inspection",
     "Some customers add requirements in their quality manuals rather than on the drawing.",
     2, 4, "change_likelihood", 1, 4, "party:customers", 350, "", ()),
    ("risk", "purchasing", "pur", "Insolvency of a small finishing subcontractor",
     "Both platers are family firms; one closing would stop plated parts for weeks.",
     2, 4, "change_consequence", 2, 2, "party:subcon", 560, "", ()),
    ("risk", "sales", "md", "Late payment by a large customer",
     "Two customers pay at 90 days; a failure would hurt cash flow badly.",
     2, 4, "share", 2, 2, "party:owners", 650, "", ()),
    ("risk", "hr", "hr", "Night-shift operators unaware of the quality policy",
     "The internal audit found two night-shift operators who could not say where the policy is.",
     3, 2, "change_likelihood", 1, 2, "issue:culture", 33, "",
     (("Brief the night shift on the policy in their own language", "overdue"),)),
    ("opportunity", "sales", "sal", "Export to Nordic hydraulics makers",
     "Customers are moving work back from Asia; Nordic hydraulics firms buy in our size range.",
     3, 3, "pursue", None, None, "issue:reshoring", 300, "",
     (("Exhibit at the Elmia subcontractor fair", "done"),)),
    ("opportunity", "production", "ps", "Tool-life monitoring to cut scrap",
     "Spindle-load monitoring would stop worn tools before they make scrap.",
     4, 3, "pursue", None, None, "issue:capacity", 220, "",
     (("Trial tool monitoring on the Mazak for three months", "done"),)),
    ("opportunity", "purchasing", "pur", "One framework agreement for bar stock",
     "Putting 80% of bar buying with one stockist would cut prices and paperwork.",
     3, 2, "pursue", None, None, "party:stockists", 130, "", ()),
    ("opportunity", "design", "eng", "Reverse engineering of obsolete spare parts",
     "Plant owners ask us to copy parts whose makers have gone; we lack a scanner for now.",
     2, 3, "defer", None, None, "issue:reshoring", 410, "", ()),
    ("opportunity", "hr", "hr", "Funded training through Skillnet",
     "Skillnet pays up to half of approved technical training for small manufacturers.",
     4, 2, "pursue", None, None, "issue:skills", 260, "",
     (("Apply for Skillnet funding for CAM training", "done"),)),
    ("opportunity", "maintenance", "mnt", "Solar panels on the Northbank roof",
     "The roof faces south; a grant covers a third of the cost. Deferred until the roof "
     "repair is done.", 3, 3, "defer", None, None, "issue:energy", 170, "", ()),
    ("opportunity", "inspection", "qi2", "CMM reports sent with every shipment",
     "Two customers would drop their own goods-in checks if our CMM report came with the parts.",
     3, 2, "pursue", None, None, "party:customers", 75, "", ()),
    ("opportunity", "dispatch", "od", "Returnable crates with the two biggest customers",
     "Reusable crates would cut packaging waste; declined for now because both customers "
     "want to keep their own packaging.", 3, 2, "decline", None, None, "issue:climate", 360,
     "", ()),
)


# key, kind, category, title, description, effect, days since identified, days since last
# changed (None: unchanged since then)
CONTEXT_ISSUES: tuple[tuple[Any, ...], ...] = (
    ("energy", "external", "economic", "Electricity and gas prices",
     "Energy is now our third biggest cost after wages and material.",
     "Margins on long fixed-price contracts are squeezed; energy use per machine hour matters.",
     980, 120),
    ("steel", "external", "economic", "Volatile steel and aluminium prices",
     "Bar prices moved by up to 20% within a quarter in the last two years.",
     "Quotations go out of date quickly; surcharge clauses are needed.", 980, None),
    ("medical", "external", "market", "Medical device makers looking for local suppliers",
     "Medical device firms around Galway and Dublin want Irish machining suppliers.",
     "A new, better-paid sector, but it expects cleanliness, validation and full "
     "traceability.", 700, 200),
    ("reshoring", "external", "market", "Customers moving work back from Asia",
     "European equipment makers are bringing machined parts back closer to home.",
     "More enquiries; we need capacity and quick quotations.", 540, None),
    ("skills", "external", "people", "Shortage of skilled CNC machinists",
     "Few experienced setters are looking for work in the Dublin area.",
     "Recruitment is slow; we rely on agency staff and must train our own.", 980, 90),
    ("regs", "external", "legal", "Customers asking for REACH and RoHS declarations",
     "More customers need material declarations before they release an order.",
     "Purchasing must hold declarations for every material.", 420, None),
    ("climate", "external", "environment", "Hotter summers and stronger storms",
     "Climate change: the machine shop passes 30 °C on hot days; storms damaged the "
     "Maynooth roof and delayed deliveries.",
     "Tight tolerances drift in the heat; the sites and deliveries need protecting.",
     800, 150),
    ("digital", "external", "technology", "Customers sending 3D models instead of drawings",
     "Most new enquiries now come as 3D models, some with incomplete drawings.",
     "Contract review and programming must handle models and their revisions.", 650, None),
    ("key_person", "internal", "knowledge", "5-axis programming knowledge held by one person",
     "One programmer wrote most 5-axis programs and the CMM routines depend on another.",
     "Absence or leaving would stop new complex work.", 900, 60),
    ("capacity", "internal", "infrastructure", "Machine shop close to full capacity",
     "The DMU 65 runs two shifts at over 85% load.",
     "Delivery promises slip when a big order lands; a breakdown has no backup.", 760, None),
    ("erp", "internal", "technology", "ERP system nearing end of support",
     "Our ERP supplier ends support for our version in 18 months.",
     "Planning, traceability and labels all depend on it; a migration needs money and time.",
     380, 30),
    ("culture", "internal", "performance", "Open reporting of mistakes on the night shift",
     "Night-shift operators report fewer problems than the day shift for the same work.",
     "Problems reach us late, as scrap or complaints, instead of being stopped at the "
     "machine.", 310, 250),
)


# key, name, kind, description, requirements (text, addressed, how)
PARTIES: tuple[tuple[Any, ...], ...] = (
    ("customers", "Equipment makers we supply (Hydraflow, Kestrel, Marlow and others)",
     "customer", "About 60 active customers, ten of them 80% of sales.",
     (("Parts made to the current drawing revision, with a certificate of conformity", True,
       "Contract review, inspection plans and release by Quality (P-07, P-12)."),
      ("Delivery on the promised date", True, "Finite-capacity planning; OTD objective."),
      ("First-article inspection report for every new part", True,
       "CMM report issued with the first batch."))),
    ("medical", "Medical device makers (prospective customers)", "customer",
     "Two firms have asked for quotations.",
     (("Cleanliness, validated processes and traceability to each batch", False,
       "Not yet: part of the medical opportunity, decided at the next review."),)),
    ("staff", "Our employees", "staff", "25 people at two sites, plus agency staff.",
     (("A safe workplace and proper training", True, "Safety statement, skills matrix."),
      ("Steady hours and fair overtime", True, "Shift rota agreed quarterly."))),
    ("owners", "Owners (the Gallagher family and two private investors)", "owner",
     "Expect steady, profitable growth.",
     (("Profitable growth and keeping the ISO 9001 certificate", True,
       "Business plan, management review and certification audits."),)),
    ("stockists", "Material stockists", "supplier", "Five stockists supply 90% of our bar "
     "and plate.",
     (("Clear purchase orders stating grade, size and certificate type", True,
       "Purchase order template; P-08."),
      ("Forecasts of our yearly volumes", True, "Shared at the annual supplier review."))),
    ("subcon", "Finishing subcontractors (anodising, plating, heat treatment)", "supplier",
     "Three small firms within an hour of Dublin.",
     (("Monthly forecast of volumes so they can plan capacity", False,
       "Not yet: depends on the new ERP planning module."),
      ("Clear specification of finish and masking on every order", True,
       "Finish specification on the drawing and the PO."))),
    ("hsa", "Health and Safety Authority", "regulator", "Inspects the sites.",
     (("Safety statement and risk assessments kept up to date", True,
       "Reviewed yearly by the Operations Director."),)),
    ("epa", "Fingal County Council and the EPA", "regulator", "Waste and emissions.",
     (("Records of waste oil and coolant disposal", True, "Contractor's dockets kept for "
       "seven years."),)),
    ("neighbours", "Neighbours at Ballycoolin Business Park", "community",
     "Mostly offices and a crèche beside the yard.",
     (("No noisy work or lorry movements at night", True, "Night shift is machining only; "
       "deliveries 07:00–19:00."),)),
    ("cert_body", "Our certification body", "other", "Yearly surveillance audits.",
     (("Access to records and corrective actions on time", True, "NC register and this "
       "system."),
      ("Notice of major changes to sites or scope", True, "Change checklist."))),
)


# key, kind, name, description, location, owner, process, budget (EUR), calibration months,
# days since last calibrated
RESOURCES: tuple[tuple[Any, ...], ...] = (
    ("machinists", "people", "Machinists and setters", "Fourteen operators and setters on "
     "two shifts, plus agency cover.", "Northbank Works", "ps", "production", 610_000, None,
     None),
    ("quality_team", "people", "Quality team", "Quality Manager, two inspectors and the CMM "
     "programmer.", "Northbank Works", "qm", "inspection", 205_000, None, None),
    ("apprentices", "people", "Apprenticeship programme", "Two apprentice machinists with "
     "the ETB.", "Northbank Works", "hr", "hr", 38_000, None, None),
    ("works", "building", "Northbank Works unit", "1,800 m² unit: office, machine shop, "
     "fabrication bay, CMM room.", "Ballycoolin, Dublin 15", "od", None, 96_000, None, None),
    ("maynooth", "building", "Maynooth finishing unit", "600 m² unit for deburring, "
     "assembly, packing and dispatch.", "Kilcock Road, Maynooth", "od", "dispatch", 31_000,
     None, None),
    ("air", "building", "Compressed air system", "Main screw compressor with a standby unit "
     "since this year.", "Northbank Works", "mnt", "maintenance", 4_500, None, None),
    ("dmu", "equipment", "DMU 65 5-axis machining centre", "The only 5-axis machine; two "
     "shifts.", "Machine shop, bay 1", "ps", "production", 22_000, None, None),
    ("mazak", "equipment", "Mazak Variaxis with pallet changer", "Six-pallet system for "
     "repeat parts.", "Machine shop, bay 2", "ps", "production", 14_000, None, None),
    ("haas", "equipment", "Haas ST-30 lathe", "Bar-fed lathe, 2009; spares getting scarce.",
     "Machine shop, bay 3", "ps", "production", 6_000, None, None),
    ("brake", "equipment", "Trumpf press brake", "130-tonne press brake.", "Fabrication bay",
     "ps", "production", 3_500, None, None),
    ("weld", "equipment", "Fronius welding cell", "TIG and MIG cell with fume extraction.",
     "Fabrication bay", "ps", "production", 4_000, None, None),
    ("forklift", "equipment", "Forklift (2.5 tonne)", "Diesel forklift for the yard and "
     "stores.", "Yard, Northbank Works", "od", "dispatch", 2_800, None, None),
    ("erp", "software", "ERP system (orders, planning, stock, labels)", "Version support "
     "ends in 18 months.", "Server room", "fin", None, 14_500, None, None),
    ("cam", "software", "CAM system", "Four seats, yearly maintenance.", "Engineering office",
     "eng", "design", 9_800, None, None),
    ("cmm_software", "software", "CMM measuring software", "Licence and updates for the "
     "CMM.", "CMM room", "qi2", "inspection", 3_200, None, None),
    ("van", "transport", "Delivery van", "Two-tonne van for local deliveries and the "
     "Maynooth shuttle.", "Yard, Northbank Works", "dsp", "dispatch", 7_500, None, None),
    ("server", "it", "File server and off-site backup", "Holds drawings, programs and QMS "
     "records; nightly off-site copy.", "Server room", "fin", None, 3_600, None, None),
    ("tablets", "it", "Laptops and shop-floor tablets", "Twelve laptops and six tablets for "
     "drawings at the machines.", "Both sites", "fin", "production", 5_400, None, None),
    ("extraction", "environment", "Machine shop air extraction and shading", "Oil-mist "
     "extraction; shading for the south wall planned.", "Machine shop", "mnt", "production",
     2_500, None, None),
    ("coolant", "environment", "Coolant management", "Weekly concentration and pH checks; "
     "sump cleaning.", "Machine shop", "mnt", "production", 3_000, None, None),
    ("programs", "knowledge", "Setting sheets and program library", "Proven programs and "
     "setting sheets for 1,400 part numbers.", "DNC server", "eng", "design", None, None,
     None),
    ("lessons", "knowledge", "Lessons-learned log", "What went wrong and what we changed, "
     "read at each new-part review.", "QMS folder", "qm", None, None, None, None),
    ("cmm", "measuring", "CMM (bridge type, 700 × 1000 × 600 mm)", "Main measuring machine "
     "for positional tolerances.", "CMM room", "qi2", "inspection", 4_800, 12, 250),
    ("micrometers", "measuring", "Outside micrometer set 0–150 mm (MIC-01 to MIC-06)",
     "Six micrometers used at the machines and in inspection.", "Inspection bench", "qm",
     "inspection", 900, 12, 120),
    ("calipers", "measuring", "Digital calipers 150 mm (CAL-01 to CAL-12)", "One per cell; "
     "checked against gauge blocks in house.", "Machine shop", "qi1", "production", 400, 6,
     165),
    ("height_gauge", "measuring", "Height gauge HG-03", "Digital height gauge on the surface "
     "plate.", "Inspection bench", "qi1", "inspection", 300, 12, 200),
    ("torque", "measuring", "Torque wrench set (TW-01 to TW-04)", "Used on assemblies for "
     "Kestrel Pumps.", "Maynooth assembly", "asm", "production", 350, 12, 380),
    ("threads", "measuring", "Thread gauge set M6–M20 (go/no-go)", "Plug gauges for fine "
     "threads at the machines.", "Machine shop", "qi1", "production", 650, 12, 420),
    ("surface_plate", "measuring", "Granite surface plate 1000 × 630 mm", "Grade 0 plate "
     "under the height gauge.", "Inspection bench", "qm", "inspection", 250, 24, 300),
    ("roughness", "measuring", "Surface roughness tester", "Portable Ra/Rz tester.",
     "Inspection bench", "qi2", "inspection", 300, 12, 60),
)


EXTERNAL_LAB = "Irish Calibration Services Ltd (INAB accredited)"


IN_HOUSE_CALIBRATION = {"calipers"}


# title, reason, for (objective/risk/process key), amount EUR, days ago requested,
# decision, decided by key, days to decide, note
RESOURCE_REQUESTS: tuple[tuple[Any, ...], ...] = (
    ("Second CMM probe head", "The CMM stops for a week each time the probe head goes for "
     "repair.", "process:inspection", 7_400, 700, "approved", "md", 6,
     "Approved at the management review."),
    ("Planning module for the ERP", "Promise dates from finite capacity instead of "
     "guesswork.", "objective:otd", 6_500, 640, "approved", "od", 10, "Within budget."),
    ("Tool-life monitoring on the Mazak", "Stops worn tools before they make scrap.",
     "objective:scrap", 3_200, 520, "deferred", "md", 21,
     "Deferred until the tool-monitoring trial shows results."),
    ("Standby compressor", "One compressor feeds the whole machine shop.",
     "risk:Loss of compressed air stops the machine shop", 11_800, 260, "approved", "od", 9,
     "Approved; fit during the August shutdown."),
    ("Second 5-axis machining centre", "The DMU 65 is at 85% load and has no backup.",
     "risk:Breakdown of the 5-axis machining centre (DMU 65)", 385_000, 300, "deferred", "md",
     30, "Deferred to next year's budget; price a service contract and a subcontractor "
     "first."),
    ("Bore and thread gauges for the cells", "Move checks to the machine.",
     "objective:fpy", 2_400, 280, "approved", "qm", 4, "Bought from the gauge budget."),
    ("Shading and extraction fans for the south wall", "Summer heat makes tight bores drift.",
     "risk:Summer heat affects dimensional stability", 18_500, 120, "pending", None, None, ""),
    ("CAM training for a second programmer (Skillnet part-funded)", "Knowledge held by one "
     "programmer.", "risk:Knowledge held by one CNC programmer", 4_750, 190, "approved", "md",
     12, "Approved with Skillnet paying half."),
    ("Clean-room packing area for medical parts", "Needed before any medical order.",
     "risk:Medical device customers asking for quotes", 46_000, 90, "rejected", "md", 18,
     "Rejected for now: no order yet. Revisit when a medical customer commits."),
    ("Air gauge for the 42H7 bore on pump housings", "Escape of undersize bores to Kestrel "
     "Pumps.", "process:production", 5_900, 45, "pending", None, None, ""),
)


# Objectives added after the first year; "energy" has no KPI yet, "medical" no owner and
# "complaint_reply" no due date: gaps the objectives screen shows.
MORE_OBJECTIVES: tuple[tuple[Any, ...], ...] = (
    ("ncdays", "Close nonconformities within 45 days on average",
     "Continual improvement", "inspection", "qm",
     "Weekly NC meeting; root cause within ten days; effectiveness checked 30 days after the "
     "last action.", "Quality Manager's time; 5-whys training for supervisors.", 8,
     "Average days from raising to closing, for nonconformities closed in the month.",
     "on_track", (("Run 5-whys training for the three supervisors", "done"),)),
    ("training", "Complete 90% of the yearly training plan", "Provide the resources people "
     "need", "hr", "hr", "Training plan agreed with each supervisor in January; monthly "
     "check of completion.", "Training budget of EUR 18,000.", 9,
     "Courses completed against the plan, rolling twelve months.", "at_risk",
     (("Book the outstanding forklift and first-aid courses", "overdue"),)),
    ("energy", "Cut electricity per machine hour by 10%", "Continual improvement",
     "production", "od", "Switch off idle machines and compressors at night; LED lighting "
     "in the fabrication bay.", "LED lighting (EUR 4,000).", 11,
     "", "planned", ()),
    ("medical", "Win the first medical device customer", "Meet customer requirements",
     "sales", None, "Visit both enquirers, quote two parts, prepare for their supplier audit.",
     "Sales time; clean packing area if an order comes.", 12,
     "Quotations sent and orders won from medical device makers.", "planned", ()),
    ("complaint_reply", "Reply to every complaint within two working days",
     "Meet customer requirements", "sales", "sal",
     "Complaint log checked daily; first reply with containment within two days.",
     "Sales and quality time.", None,
     "Complaints with a first reply within two working days.", "on_track", ()),
    ("cmm", "Keep the CMM queue under one shift", "Continual improvement", "inspection",
     "qi2", "Second CMM programmer trained; offline programming from the models.",
     "CAM training (EUR 4,750).", 6, "Average hours a batch waits for the CMM.", "on_track",
     (("Write offline CMM programs for the ten busiest parts", "open"),)),
)


# key, name, unit, direction, target, warning, failure, process, owner, objective,
# start value, end value, spread, decimals, failed months (0..35), missing months
MORE_KPIS: tuple[tuple[Any, ...], ...] = (
    ("ncdays", "Average days to close a nonconformity", "days", "lower", 45.0, 60.0, 90.0,
     "inspection", "qm", "ncdays", 72.0, 44.0, 7.0, 0, (8,), ()),
    ("med_quotes", "Quotations sent to medical device makers", "per month", "higher", 2.0,
     1.0, 0.0, "sales", "sal", "medical", 0.8, 2.2, 0.6, 0, (), (*range(25), 34, 35)),
    ("complaint_reply", "Complaints answered within two working days", "%", "higher", 95.0,
     90.0, 80.0, "sales", "sal", "complaint_reply", 86.0, 97.0, 3.0, 0, (12,), ()),
    ("cmm_queue", "CMM queue time before release", "hours", "lower", 8.0, 16.0, 24.0,
     "inspection", "qi2", "cmm", 15.0, 7.5, 2.5, 1, (20,), ()),
    ("rework", "Rework hours", "% of direct hours", "lower", 2.0, 3.0, 4.0, "production",
     "ps", None, 3.2, 2.1, 0.4, 1, (), ()),
    ("setup", "Average set-up time on the Mazak", "minutes", "lower", 45.0, 55.0, 70.0,
     "production", "op2", None, 62.0, 44.0, 4.0, 0, (), (11,)),
    ("quote_time", "Quotations sent within three working days", "%", "higher", 90.0, 80.0,
     70.0, "sales", "est", None, 78.0, 91.0, 4.0, 0, (), ()),
    ("ecn", "Engineering changes on the floor within two days", "%", "higher", 95.0, 90.0,
     80.0, "design", "eng", None, 88.0, 94.0, 3.0, 0, (15,), (33, 34, 35)),
    ("supplier_ppm", "Supplier rejects at goods-in", "parts per million", "lower", 1500.0,
     2500.0, 4000.0, "purchasing", "pur", "suppliers", 2600.0, 1400.0, 350.0, 0, (6,), ()),
    ("calibration", "Gauges calibrated by their due date", "%", "higher", 100.0, 95.0, 90.0,
     "inspection", "qm", None, 96.0, 99.0, 1.5, 0, (), ()),
    ("absence", "Absence rate", "% of hours", "lower", 3.0, 4.0, 5.0, "hr", "hr", None, 3.8,
     3.1, 0.5, 1, (), ()),
    ("dispatch_errors", "Shipments with a paperwork error", "per month", "lower", 1.0, 2.0,
     4.0, "dispatch", "dsp", None, 2.2, 1.0, 0.8, 0, (31, 35), ()),
)


OTHER_CAUSES: dict[str, tuple[str, ...]] = {
    "man": ("New operator on the job", "Overtime at the end of the month",
            "Agency staff unfamiliar with the part"),
    "machine": ("Worn ball screw on the machine", "Machine due for a ballbar test",
                "Chuck pressure set low"),
    "method": ("Work instruction not clear on this step", "Sampling plan not followed",
               "Rush order skipped the normal checks"),
    "material": ("Bar from a new batch, harder than usual", "Certificate missing at goods-in",
                 "Material stored outside"),
    "measurement": ("Gauge reading at the limit of its resolution", "Measured warm, off "
                    "the machine", "Drawing datum unclear"),
    "environment": ("Shop temperature over 30 °C", "Poor lighting at the bench",
                    "Dust from the fabrication bay"),
}


CORRECTIONS = ("Suspect parts were sorted 100% and the rejects reworked.",
               "The batch was quarantined, sorted and the good parts released.",
               "Replacement parts were made and sent by express courier.",
               "The customer accepted the parts under a signed concession.",
               "The rejects were scrapped and a new batch was made.")


CONTAINMENTS_SMALL = ("Stock at both sites and in transit was checked.",
                      "Work in progress on the same machine was held and checked.",
                      "All open orders for the part were checked before release.",
                      "The supplier was asked to check its stock of the same batch.")


# customer feedback other than complaints: kind, text, our response
COMPLIMENTS = (
    "Thank you for turning round the urgent {part} order in three days.",
    "Your first-article report for {part} was the clearest we have received from a supplier.",
    "The packing of the last shipment of {part} was excellent; no damage at all.",
    "Our buyer wants to thank your sales team for keeping us informed about the delay.",
    "The {part} parts passed our goods-in checks with no issues for the sixth month running.",
)


SUGGESTIONS = (
    "Could you send the CMM report by e-mail before the parts arrive?",
    "It would help if delivery notes showed our purchase order line number.",
    "Please quote lead times in working days rather than weeks.",
    "Could you hold a month's safety stock of {part} for us?",
    "A portal where we can see order status would save us phone calls.",
    "Please label each bag with the drawing revision as well as the part number.",
)


MINOR_COMPLAINTS = (
    "Delivery of {part} was one day later than promised.",
    "The invoice for {part} did not quote our purchase order number.",
    "Two cartons in the shipment of {part} were crushed, though the parts were fine.",
    "The certificate of conformity for {part} arrived a day after the parts.",
    "We were not told in advance that the {part} shipment would be split.",
)


# name, provides, criticality, approval, contact, scores start -> end (average), quarters
# evaluated (None: all of the last eight), days since the last evaluation when it stopped
SUPPLIERS: tuple[tuple[Any, ...], ...] = (
    ("Leinster Metals Ltd", "6082-T6 aluminium bar and plate, certified", "high", "approved",
     "Gerry Nolan, +353 1 460 2211", 3.8, 4.3, None),
    ("Dublin Steel Stockholders", "S355 plate and bright bar", "high", "approved",
     "Orla Keane, +353 1 840 7700", 3.6, 3.9, None),
    ("Euro Stainless Bar GmbH", "316L and 17-4PH stainless bar", "high", "approved",
     "Jana Richter, +49 211 555 310", 3.4, 3.7, None),
    ("Midlands Aluminium Supplies", "Second stockist for 6082-T6 bar (approved after trial)",
     "high", "approved", "Paddy Moran, +353 57 932 1010", 3.5, 3.9, None),
    ("Castle Heat Treatment", "Hardening and tempering of steel parts", "high", "approved",
     "Des Cullen, +353 45 898 040", 3.7, 3.6, 425),
    ("Liffey Laser Profiles", "Laser-cut blanks for fabrications", "high", "conditional",
     "Karen Duffy, +353 1 822 5151", 4.0, 2.4, 205),
    ("Anodise Ireland", "Hard and decorative anodising", "high", "approved",
     "Seamus Reilly, +353 1 450 9090", 3.4, 3.5, None),
    ("Kildare Plating Services", "Zinc-nickel and electroless nickel plating", "medium",
     "approved", "Mairead Power, +353 45 433 210", 3.3, 3.6, None),
    ("Precision Tooling Direct", "Cutting tools and holders", "medium", "approved",
     "orders@ptd.ie", 4.0, 4.2, None),
    ("Coolant Solutions Ireland", "Coolant, oils and sump cleaning", "low", "approved",
     "Brian Kehoe, +353 87 223 4411", 3.9, 4.0, None),
    ("Irish Calibration Services Ltd", "Calibration of measuring equipment (INAB)", "medium",
     "approved", "lab@ics-cal.ie", 4.2, 4.4, None),
    ("Northern Crates & Packaging", "Wooden crates, VCI bags and foam", "low", "approved",
     "Sales office, +44 28 9045 1200", 3.6, 3.8, None),
    ("FastFreight Couriers", "Express and pallet deliveries", "medium", "approved",
     "Account team, +353 1 409 3000", 3.2, 3.4, None),
    ("Boyne Laser & Fabrication", "Second laser-cutting source (on trial)", "high", "pending",
     "Alan Byrne, +353 41 987 6543", 3.5, 3.5, 30),
    ("Tallaght Electroplaters", "Chrome plating (no longer used)", "medium", "suspended",
     "—", 3.0, 2.2, 640),
)


# role title -> (competence, description, renew every months)
COMPETENCES: dict[str, tuple[tuple[str, str, int | None], ...]] = {
    "Machine Operator": (
        ("CNC operation to the job traveller", "Load programs, set offsets, run and stop "
         "the machine; sign each operation.", None),
        ("First-off inspection", "Measure the first part against the inspection plan and "
         "record it.", None),
        ("Manual handling", "Safe lifting of bar and parts.", 36)),
    "Welder": (
        ("Coded TIG welding (EN ISO 9606-1)", "Qualification test by a notified body.", 24),
        ("Reading welding procedure specifications", "Work to the WPS on the traveller.",
         None)),
    "Quality Inspector": (
        ("Drawing reading and GD&T", "Interpret tolerances, datums and surface finish.",
         None),
        ("Near-vision eyesight test", "Yearly test for visual inspection.", 12)),
    "Internal Auditor": (
        ("Internal auditor training (ISO 9001)", "Two-day course and one audit under "
         "supervision.", None),),
    "Stores & Dispatch": (
        ("Forklift licence", "Counterbalance forklift certificate.", 36),
        ("Export packing", "Packing specification PS-04 for export shipments.", None)),
    "Maintenance Lead": (
        ("Lock-out tag-out", "Safe isolation of machines before work.", 24),),
    "Production Supervisor": (
        ("Occupational first aid", "Three-day course with refresher.", 24),),
    "Quality Manager": (
        ("ISO 9001 lead auditor", "Certified lead auditor course.", None),),
}


# (person key, competence name) -> days ago completed, where the default would be too kind
TRAINING_EXCEPTIONS = {
    ("wd2", "Coded TIG welding (EN ISO 9606-1)"): 740,  # lapsed three weeks ago
    ("gin", "Forklift licence"): 1110,  # expired last month
    ("qi2", "Near-vision eyesight test"): 380,  # overdue
    ("ps", "Occupational first aid"): 700,  # due within the month
}


# (person key, competence name) with no record at all
TRAINING_MISSING = {("app", "First-off inspection"), ("op3", "Manual handling")}


# reference, kind, title, owner, retention, location, review every (months)
DOCUMENTS: tuple[tuple[str, str, str, str, str, str, int | None], ...] = (
    ("QM-01", "procedure", "Quality manual", "qm", "Until superseded", "QMS folder", 24),
    ("P-01", "procedure", "Control of documents and records", "qm", "Until superseded",
     "QMS folder", 24),
    ("P-02", "procedure", "Internal audit", "qm", "Until superseded", "QMS folder", 24),
    ("P-03", "procedure", "Nonconformity and corrective action", "qm", "Until superseded",
     "QMS folder", 24),
    ("P-04", "procedure", "Management review", "md", "Until superseded", "QMS folder", 24),
    ("P-05", "procedure", "Risks and opportunities", "od", "Until superseded", "QMS folder",
     24),
    ("P-06", "procedure", "Contract review and order entry", "sal", "Until superseded",
     "QMS folder", 24),
    ("P-07", "procedure", "Purchasing and supplier approval", "pur", "Until superseded",
     "QMS folder", 24),
    ("GI-02", "procedure", "Goods-in inspection", "pur", "Until superseded",
     "Goods-in desk; QMS folder", 12),
    ("P-08", "procedure", "Calibration of measuring equipment", "qm", "Until superseded",
     "QMS folder", 24),
    ("P-09", "procedure", "Production control and first-off inspection", "ps",
     "Until superseded", "QMS folder", 24),
    ("P-10", "procedure", "Final inspection and release", "qm", "Until superseded",
     "QMS folder", 24),
    ("P-11", "procedure", "Packing and dispatch", "od", "Until superseded", "Maynooth office",
     24),
    ("PS-04", "procedure", "Packing specification for export shipments", "dsp",
     "Until superseded", "Packing bench, Maynooth", 12),
    ("P-12", "procedure", "Preventive maintenance", "mnt", "Until superseded", "QMS folder",
     24),
    ("P-13", "procedure", "Training and competence", "hr", "Until superseded", "QMS folder",
     24),
    ("P-14", "procedure", "Engineering change control", "eng", "Until superseded",
     "QMS folder", 24),
    ("P-15", "procedure", "Customer complaints", "sal", "Until superseded", "QMS folder", 24),
    ("P-16", "procedure", "Control of nonconforming product", "qm", "Until superseded",
     "QMS folder", 24),
    ("WI-PRD-11", "procedure", "Thread gauging at the machine", "ps", "Until superseded",
     "Machine shop", 12),
    ("F-01", "form", "Nonconformity report", "qm", "Until superseded", "QMS folder", 36),
    ("F-02", "form", "Corrective action request to a supplier", "pur", "Until superseded",
     "QMS folder", 36),
    ("F-03", "form", "Training record", "hr", "Until superseded", "QMS folder", 36),
    ("F-04", "form", "Job traveller", "ps", "Until superseded", "ERP", 36),
    ("F-05", "form", "First-off inspection record", "qm", "Until superseded", "ERP", 36),
    ("IS-118", "form", "Inspection sheet VB-118", "qm", "Until superseded",
     "Inspection bench", 24),
    ("CL-07", "form", "Weekly calibration label check", "qm", "Until superseded",
     "Inspection bench", 24),
    ("EC-01", "form", "Engineering change checklist", "eng", "Until superseded",
     "Engineering office", 24),
    ("F-06", "form", "Supplier evaluation scorecard", "pur", "Until superseded",
     "QMS folder", 36),
    ("R-01", "record", "Calibration certificates", "qm", "10 years", "CMM room cabinet",
     None),
    ("R-02", "record", "Inspection reports and certificates of conformity", "qm",
     "Life of the part + 10 years", "Server: /Quality/Release", None),
    ("R-03", "record", "Training records and skills matrix", "hr", "Employment + 6 years",
     "HR office", None),
    ("R-04", "record", "Supplier evaluations", "pur", "6 years", "Server: /Purchasing",
     None),
    ("R-05", "record", "Management review minutes and packs", "md", "10 years",
     "This system", None),
    ("R-06", "record", "Internal audit reports", "qm", "6 years", "This system", None),
    ("R-07", "record", "Nonconformity and corrective action log", "qm", "10 years",
     "This system", None),
    ("R-08", "record", "Maintenance log", "mnt", "Life of the machine", "Maintenance office",
     None),
    ("R-09", "record", "Customer complaint file", "sal", "10 years", "This system", None),
    ("R-10", "record", "Mill certificates", "pur", "Life of the part + 10 years",
     "Goods-in; Server: /Certs", None),
)


# 5-whys chains: key -> (answers, fishbone category of the root cause, root cause)
WHY_CHAINS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "tool_wear": (("The parts were out of tolerance when they left the machine.",
                   "The tool had worn past its limit during the batch.",
                   "Nobody checked the tool between the first-off and the last part.",
                   "The program has no tool-life limit for this tool.",
                   "Tool-life limits were never part of our programming standard."),
                  "method", "No tool-life limits in the programming standard"),
    "offset": (("The operator ran the batch with the wrong offset.",
                "The setting sheet showed the offset for the previous revision.",
                "Setting sheets are not updated when an engineering change is released.",
                "The change checklist does not list setting sheets."),
               "method", "Engineering change checklist leaves out setting sheets"),
    "heat": (("The bores drifted during the afternoon.",
              "The shop was over 30 °C and the spindle grew.",
              "There is no warm-up cycle or re-check after breaks on hot days."),
             "environment", "Heat in the machine shop with no warm-up routine"),
    "burrs": (("Burrs were left where the cross-drilled holes meet.",
               "The program has no back-deburring operation.",
               "The holes cannot be reached with the hand tools we had.",
               "Deburring was left to the finishing bench, which cannot see inside the "
               "bore."),
              "method", "No deburring step in the program for internal intersections"),
    "finish": (("The surface finish was rough and stained.",
                "The coolant was contaminated with tramp oil.",
                "The sump had not been skimmed for weeks.",
                "Coolant checks were not on anyone's weekly list."),
               "material", "Coolant condition not checked routinely"),
    "cert_check": (("The material was the wrong grade.",
                    "The stockist picked from the wrong rack.",
                    "Our goods-in did not compare the certificate with the order.",
                    "Goods-in had no written step to do so."),
                   "material", "No certificate-against-order check at goods-in"),
    "forecast": (("The subcontracted parts arrived late.",
                  "The subcontractor was short of capacity that week.",
                  "We gave no forecast of our volumes.",
                  "Forecasting is not part of our purchasing process yet."),
                 "method", "No volume forecast given to subcontractors"),
    "anodise": (("The anodised colour varied between parts.",
                 "The parts were anodised in two loads.",
                 "Our order did not say the batch must be done in one load.",
                 "No colour limit samples had been agreed."),
                "method", "No agreed colour limits or single-load requirement"),
    "subcon_approval": (("Two finishers were used without an approval record.",
                         "Purchasing placed orders with them during a busy spring.",
                         "The ERP lets any supplier be used for a subcontract order.",
                         "Approval status is not checked by the ERP."),
                        "method", "ERP does not block unapproved suppliers"),
    "revision": (("The parts were made to the old drawing revision.",
                  "The order was entered against revision B.",
                  "The new drawing came by e-mail apart from the order.",
                  "Contract review did not check the drawing revision against the order."),
                 "method", "Contract review does not check the drawing revision"),
    "address": (("The delivery went to the customer's old warehouse.",
                 "The ERP still held the old address.",
                 "The customer's e-mail about the move was not passed on.",
                 "There is no routine for updating customer master data."),
                "method", "No routine for keeping customer addresses up to date"),
    "capacity": (("Orders were delivered late.",
                  "Two large orders were promised in the same weeks.",
                  "Promise dates were given without checking capacity.",
                  "Sales had no view of the machine load."),
                 "method", "Delivery dates promised without a capacity check"),
    "stack_up": (("The part did not fit the customer's assembly.",
                  "The mating part had changed.",
                  "We did not check the tolerance stack after the change.",
                  "The change checklist has no stack-up step."),
                 "method", "No stack-up check in the engineering change checklist"),
    "sampling": (("The defect was not found at final inspection.",
                  "Two parts per batch were checked instead of five.",
                  "The inspector used the sample size from memory.",
                  "The inspection plan was not at the bench.",
                  "Plans are printed per job and the printer queue was down."),
                 "method", "Inspection plan not available at the point of inspection"),
    "gauge_cal": (("The gauge was used after its calibration date.",
                   "Nobody noticed the label.",
                   "There was no routine check of calibration labels."),
                  "measurement", "No routine check of gauge calibration status"),
    "records": (("Inspection records were missing for shipped batches.",
                 "The delivery note could be printed before the report was filed.",
                 "Release and dispatch are separate steps in the ERP."),
                "method", "Dispatch not linked to the inspection record"),
    "corrosion": (("The mild steel parts rusted in transit.",
                   "They travelled ten days in a damp container.",
                   "They were packed without VCI bags or desiccant.",
                   "The packing specification did not cover export by sea."),
                  "environment", "Packing specification does not cover long sea journeys"),
    "damage": (("The parts arrived damaged.",
                "They moved inside the crate.",
                "The crate had no dividers.",
                "The packing specification did not cover this part family."),
               "method", "Packing specification incomplete for the part family"),
    "paperwork": (("The shipment had the wrong paperwork.",
                   "The packing list was printed for another order.",
                   "Two orders were packed at the same bench at once.",
                   "There is no rule of one order at a time on the packing bench."),
                  "man", "Two orders packed at the same bench at once"),
    "pm_missed": (("Preventive maintenance was missed for three months.",
                   "The machine was not on the new maintenance spreadsheet.",
                   "The plan was moved to a spreadsheet without checking it against the "
                   "asset register."),
                  "method", "Maintenance plan not reconciled with the asset register"),
    "crash": (("The spindle bearing failed.",
               "The spindle hit a fixture at rapid feed.",
               "The program had the wrong fixture offset.",
               "The program was not simulated before the first run."),
              "machine", "No simulation or crash protection on the DMU 65"),
    "qualification": (("The welder worked without a valid qualification.",
                       "The certificate had expired.",
                       "Nobody saw the expiry coming.",
                       "Expiry dates were kept in a paper file only."),
                      "method", "Qualification expiry dates not tracked"),
    "signoff": (("Operations were completed without sign-off on the travellers.",
                 "Operators sign at the end of the shift, not after each operation.",
                 "Nobody explained why the sign-off matters for traceability."),
                "man", "Operators not trained on why travellers are signed"),
    "work_instruction": (("An out-of-date work instruction was in use.",
                          "The old copy was not withdrawn when revision D was issued.",
                          "Paper copies at the machines are not listed anywhere."),
                         "method", "Paper copies at workstations not controlled"),
    "awareness": (("Night-shift operators could not say where the policy is.",
                   "They were not at the day-shift briefing.",
                   "Briefings are only held on days."),
                  "man", "Briefings not repeated for the night shift"),
    "weld": (("The weld had porosity.",
              "Shielding gas coverage was poor.",
              "The fabrication bay door was open and the draught blew the gas away.",
              "There are no screens around the welding cell."),
             "environment", "Draughts at the welding cell"),
    "labels": (("The label showed the wrong revision.",
                "The label was written by hand from an old traveller.",
                "Labels are not printed from the ERP for this customer."),
               "method", "Hand-written labels for some customers"),
    "supplier_late": (("The laser-cut blanks arrived four days late.",
                       "The subcontractor's laser was down for two days.",
                       "They did not warn us.",
                       "Our purchase orders do not ask suppliers to report delays."),
                      "method", "No requirement for suppliers to warn of delays"),
}


# Hand-written nonconformities -> their chain (by the start of the title)
TITLE_CHAINS = {
    "Burrs left": "burrs", "Height gauge used": "gauge_cal", "Wrong stainless": "cert_check",
    "On-time delivery below": "capacity", "Order made to a superseded": "revision",
    "Preventive maintenance on": "pm_missed", "Welder qualification": "qualification",
    "Mild steel flanges": "corrosion", "Tolerance stack-up": "stack_up",
    "Scrap at 3.4%": "tool_wear", "Uneven colour": "anodise", "Undersize bore": "sampling",
    "Travellers not signed": "signoff", "Delivery sent to": "address",
    "Late laser-cut": "supplier_late", "Unplanned downtime": "crash",
    "Subcontract finishers": "subcon_approval", "Out-of-date work": "work_instruction",
    "Final inspection records": "records", "Night-shift operators": "awareness",
}


# Defects for the generated nonconformities of the small company: title, process, chain,
# how it was found (source, text), the part
SMALL_DEFECTS: tuple[tuple[str, str, str], ...] = (
    ("Bore oversize", "production", "tool_wear"), ("Bore undersize", "production", "heat"),
    ("Thread out of tolerance", "production", "tool_wear"),
    ("Hole position out of tolerance", "production", "offset"),
    ("Rough surface finish", "production", "finish"),
    ("Burrs on cross-drilled holes", "production", "burrs"),
    ("Wrong material grade", "purchasing", "cert_check"),
    ("Uneven anodise colour", "purchasing", "anodise"),
    ("Late delivery of plated parts", "purchasing", "forecast"),
    ("Weld porosity", "production", "weld"),
    ("Scratched sealing face", "dispatch", "damage"),
    ("Wrong quantity shipped", "dispatch", "paperwork"),
    ("Label shows the wrong revision", "dispatch", "labels"),
    ("Corrosion on machined faces", "dispatch", "corrosion"),
    ("Inspection record incomplete", "inspection", "sampling"),
    ("Made to a superseded drawing", "sales", "revision"),
)


AUDIT_CRITERIA = ("ISO 9001:2015, our quality manual and procedures, and the requirements of "
                  "the customers whose work was sampled.")


# days ago, decisions: kind, description, owner key, due (days after the meeting), fate,
# what it answers ("risk:title", "objective:key" or None)
REVIEW_DECISIONS: tuple[tuple[int, tuple[tuple[Any, ...], ...]], ...] = (
    (700, (
        ("resource", "Fund a second CMM probe head so the CMM is not down during probe "
         "repairs", "qm", 45, "done", None),
        ("improvement", "Set company objectives for scrap and first-pass yield", "md", 30,
         "done", "objective:scrap"),
        ("qms_change", "Review the internal audit programme so every process is audited each "
         "year", "qm", 60, "done", None),
        ("qms_change", "Rewrite the quality policy so each commitment can carry an objective",
         "md", 240, "late", None),
    )),
    (335, (
        ("improvement", "Approve a second stockist for certified aluminium bar", "pur", 90,
         "late", "risk:Single stockist for certified 6082-T6 aluminium bar"),
        ("resource", "Extend preventive maintenance to Saturday mornings for the machining "
         "centres", "od", 120, "moved",
         "risk:Preventive maintenance slips when production is busy"),
        ("qms_change", "Update the quality policy for the new edition of ISO 9001", "md", 180,
         "overdue", None),
        ("improvement", "Train a second person in CMM programming", "qm", 150, "done",
         "risk:Only one person can program the CMM"),
        ("resource", "Price a service contract and a 5-axis subcontractor before deciding on "
         "a second machine", "od", 400, "open",
         "risk:Breakdown of the 5-axis machining centre (DMU 65)"),
    )),
)


ATTENDEES = (("md", "Chair"), ("od", ""), ("qm", "Minute-taker"), ("ps", ""), ("eng", ""),
             ("sal", ""), ("pur", ""), ("hr", ""), ("mnt", ""))


APOLOGIES = {700: "mnt", 335: "eng"}


CONCLUSIONS = {
    700: ("The system suits a firm of our size and work.",
          "Resources are adequate except CMM capacity, funded today.",
          "Effective on the whole; scrap and first-pass yield need objectives.",
          "Aligned with the plan to grow in hydraulics and win medical work."),
    335: ("Still suitable; the policy will be updated for the new edition.",
          "Partly adequate: 5-axis capacity and CMM programming depend on one machine and "
          "one person.",
          "Effective: complaints and scrap are down; on-time delivery is still short of 96%.",
          "Aligned with the business plan; medical work needs investment before we commit."),
}


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


# Defects of the large set -> their 5-whys chain (None: not analysed that way)
LARGE_CHAINS = {
    "Bore oversize": "tool_wear", "Bore undersize": "heat", "Thread out of tolerance":
    "tool_wear", "Burrs on cross-drilled holes": "burrs", "Rough surface finish": "finish",
    "Wrong material grade": "cert_check", "Hole position out of tolerance": "offset",
    "Weld porosity": "weld", "Uneven anodise colour": "anodise", "Scratched sealing face":
    "damage", "Certificate of conformity missing": "paperwork", "Wrong quantity shipped":
    "paperwork", "Label shows the wrong revision": "labels", "Flatness out of tolerance":
    "heat", "Corrosion on machined faces": "corrosion", "Made to a superseded drawing":
    "revision", "Inspection record incomplete": "records",
}
