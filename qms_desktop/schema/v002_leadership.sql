-- Schema version 2: leadership (policy checks, communication, acknowledgements, the five
-- duties, RACI) and resources (7.1). Frozen once released.
ALTER TABLE "document_version" ADD COLUMN "approved_by_top_management" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "document_version" ADD COLUMN "approval_note" TEXT NOT NULL DEFAULT '';
ALTER TABLE "document_version" ADD COLUMN "change_summary" TEXT NOT NULL DEFAULT '';
ALTER TABLE "process" ADD COLUMN "is_activity" INTEGER NOT NULL DEFAULT 0;
CREATE TABLE "policy_check" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "version_id" VARCHAR(36) NOT NULL,
    "point" VARCHAR(30) NOT NULL,
    "met" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    FOREIGN KEY ("version_id") REFERENCES "document_version" ("id"));
CREATE INDEX "policy_check_archived_at" ON "policy_check" ("archived_at");
CREATE INDEX "policy_check_version_id" ON "policy_check" ("version_id");
CREATE UNIQUE INDEX "policy_check_version_id_point" ON "policy_check" ("version_id", "point");
CREATE TABLE "communication" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "version_id" VARCHAR(36) NOT NULL,
    "method" VARCHAR(20) NOT NULL,
    "communicated_on" DATE NOT NULL,
    "audience" TEXT NOT NULL,
    "communicated_by_id" VARCHAR(36),
    FOREIGN KEY ("version_id") REFERENCES "document_version" ("id"),
    FOREIGN KEY ("communicated_by_id") REFERENCES "person" ("id"));
CREATE INDEX "communication_archived_at" ON "communication" ("archived_at");
CREATE INDEX "communication_version_id" ON "communication" ("version_id");
CREATE INDEX "communication_communicated_by_id" ON "communication" ("communicated_by_id");
CREATE TABLE "acknowledgement" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "version_id" VARCHAR(36) NOT NULL,
    "person_id" VARCHAR(36) NOT NULL,
    "acknowledged_on" DATE NOT NULL,
    FOREIGN KEY ("version_id") REFERENCES "document_version" ("id"),
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"));
CREATE INDEX "acknowledgement_archived_at" ON "acknowledgement" ("archived_at");
CREATE INDEX "acknowledgement_version_id" ON "acknowledgement" ("version_id");
CREATE INDEX "acknowledgement_person_id" ON "acknowledgement" ("person_id");
CREATE UNIQUE INDEX "acknowledgement_version_id_person_id" ON "acknowledgement" ("version_id", "person_id");
CREATE TABLE "duty_assignment" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "duty" VARCHAR(30) NOT NULL,
    "person_id" VARCHAR(36),
    "role_id" VARCHAR(36),
    "communicated_on" DATE,
    "notes" TEXT NOT NULL,
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("role_id") REFERENCES "role" ("id"));
CREATE INDEX "duty_assignment_archived_at" ON "duty_assignment" ("archived_at");
CREATE INDEX "duty_assignment_duty" ON "duty_assignment" ("duty");
CREATE INDEX "duty_assignment_person_id" ON "duty_assignment" ("person_id");
CREATE INDEX "duty_assignment_role_id" ON "duty_assignment" ("role_id");
CREATE TABLE "raci_cell" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "process_id" VARCHAR(36) NOT NULL,
    "role_id" VARCHAR(36) NOT NULL,
    "letter" VARCHAR(1) NOT NULL,
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("role_id") REFERENCES "role" ("id"));
CREATE INDEX "raci_cell_archived_at" ON "raci_cell" ("archived_at");
CREATE INDEX "raci_cell_process_id" ON "raci_cell" ("process_id");
CREATE INDEX "raci_cell_role_id" ON "raci_cell" ("role_id");
CREATE UNIQUE INDEX "raci_cell_process_id_role_id" ON "raci_cell" ("process_id", "role_id");
CREATE TABLE "resource" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kind" VARCHAR(12) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "location" VARCHAR(200) NOT NULL,
    "owner_id" VARCHAR(36),
    "process_id" VARCHAR(36),
    "annual_budget_minor" INTEGER,
    "currency" VARCHAR(3) NOT NULL,
    "calibration_interval_months" INTEGER,
    "last_calibrated_on" DATE,
    "next_calibration_on" DATE,
    "calibration_status" VARCHAR(16) NOT NULL,
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"));
CREATE INDEX "resource_archived_at" ON "resource" ("archived_at");
CREATE INDEX "resource_owner_id" ON "resource" ("owner_id");
CREATE INDEX "resource_process_id" ON "resource" ("process_id");
CREATE INDEX "resource_next_calibration_on" ON "resource" ("next_calibration_on");
CREATE TABLE "calibration" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "resource_id" VARCHAR(36) NOT NULL,
    "calibrated_on" DATE NOT NULL,
    "result" VARCHAR(20) NOT NULL,
    "certificate" VARCHAR(100) NOT NULL,
    "calibrated_by" VARCHAR(200) NOT NULL,
    FOREIGN KEY ("resource_id") REFERENCES "resource" ("id"));
CREATE INDEX "calibration_archived_at" ON "calibration" ("archived_at");
CREATE INDEX "calibration_resource_id" ON "calibration" ("resource_id");
CREATE TABLE "resource_request" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "title" VARCHAR(200) NOT NULL,
    "reason" TEXT NOT NULL,
    "objective_id" VARCHAR(36),
    "risk_id" VARCHAR(36),
    "process_id" VARCHAR(36),
    "amount_minor" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "requested_on" DATE NOT NULL,
    "requested_by_id" VARCHAR(36),
    "decision" VARCHAR(10) NOT NULL,
    "decided_by_id" VARCHAR(36),
    "decided_on" DATE,
    "decision_note" TEXT NOT NULL,
    "decided_by_top_management" INTEGER NOT NULL,
    FOREIGN KEY ("objective_id") REFERENCES "objective" ("id"),
    FOREIGN KEY ("risk_id") REFERENCES "risk" ("id"),
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("requested_by_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("decided_by_id") REFERENCES "person" ("id"));
CREATE INDEX "resource_request_archived_at" ON "resource_request" ("archived_at");
CREATE INDEX "resource_request_objective_id" ON "resource_request" ("objective_id");
CREATE INDEX "resource_request_risk_id" ON "resource_request" ("risk_id");
CREATE INDEX "resource_request_process_id" ON "resource_request" ("process_id");
CREATE INDEX "resource_request_requested_by_id" ON "resource_request" ("requested_by_id");
CREATE INDEX "resource_request_decision" ON "resource_request" ("decision");
CREATE INDEX "resource_request_decided_by_id" ON "resource_request" ("decided_by_id");
CREATE TABLE "adequacy_statement" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "verdict" VARCHAR(10) NOT NULL,
    "reasons" TEXT NOT NULL,
    "stated_by_id" VARCHAR(36),
    "stated_on" DATE NOT NULL,
    FOREIGN KEY ("stated_by_id") REFERENCES "person" ("id"));
CREATE INDEX "adequacy_statement_archived_at" ON "adequacy_statement" ("archived_at");
CREATE INDEX "adequacy_statement_stated_by_id" ON "adequacy_statement" ("stated_by_id");
