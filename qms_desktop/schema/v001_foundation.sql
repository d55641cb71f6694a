-- Schema version 1: the foundation. Frozen: later versions add new files, never edit this one.
CREATE TABLE "organisation" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "edition" VARCHAR(4) NOT NULL,
    "review_interval_months" INTEGER NOT NULL,
    "risk_matrix_size" INTEGER NOT NULL);
CREATE INDEX "organisation_archived_at" ON "organisation" ("archived_at");
CREATE TABLE "site" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "address" TEXT NOT NULL);
CREATE INDEX "site_archived_at" ON "site" ("archived_at");
CREATE TABLE "setting" ("key" VARCHAR(100) NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL);
CREATE TABLE "person" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "full_name" VARCHAR(200) NOT NULL,
    "job_title" VARCHAR(200) NOT NULL,
    "site_id" VARCHAR(36),
    "email" VARCHAR(254) NOT NULL,
    "active" INTEGER NOT NULL,
    "left_on" DATE,
    FOREIGN KEY ("site_id") REFERENCES "site" ("id"));
CREATE INDEX "person_archived_at" ON "person" ("archived_at");
CREATE INDEX "person_full_name" ON "person" ("full_name");
CREATE INDEX "person_site_id" ON "person" ("site_id");
CREATE TABLE "role" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "authorities" TEXT NOT NULL,
    "is_top_management" INTEGER NOT NULL);
CREATE INDEX "role_archived_at" ON "role" ("archived_at");
CREATE TABLE "person_role" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "person_id" VARCHAR(36) NOT NULL,
    "role_id" VARCHAR(36) NOT NULL,
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("role_id") REFERENCES "role" ("id"));
CREATE INDEX "person_role_archived_at" ON "person_role" ("archived_at");
CREATE INDEX "person_role_person_id" ON "person_role" ("person_id");
CREATE INDEX "person_role_role_id" ON "person_role" ("role_id");
CREATE TABLE "process" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "owner_id" VARCHAR(36),
    "inputs" TEXT NOT NULL,
    "outputs" TEXT NOT NULL,
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "process_archived_at" ON "process" ("archived_at");
CREATE INDEX "process_owner_id" ON "process" ("owner_id");
CREATE TABLE "document" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kind" VARCHAR(20) NOT NULL,
    "reference" VARCHAR(50) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "owner_id" VARCHAR(36),
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "document_archived_at" ON "document" ("archived_at");
CREATE INDEX "document_owner_id" ON "document" ("owner_id");
CREATE TABLE "document_version" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "document_id" VARCHAR(36) NOT NULL,
    "number" INTEGER NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "body" TEXT NOT NULL,
    "approved_by_id" VARCHAR(36),
    "approved_at" DATETIME,
    FOREIGN KEY ("document_id") REFERENCES "document" ("id"),
    FOREIGN KEY ("approved_by_id") REFERENCES "person" ("id"));
CREATE INDEX "document_version_archived_at" ON "document_version" ("archived_at");
CREATE INDEX "document_version_document_id" ON "document_version" ("document_id");
CREATE INDEX "document_version_approved_by_id" ON "document_version" ("approved_by_id");
CREATE UNIQUE INDEX "document_version_document_id_number" ON "document_version" ("document_id", "number");
CREATE TABLE "risk" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kind" VARCHAR(12) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "process_id" VARCHAR(36),
    "owner_id" VARCHAR(36),
    "likelihood" INTEGER,
    "impact" INTEGER,
    "treatment" VARCHAR(30) NOT NULL,
    "residual_likelihood" INTEGER,
    "residual_impact" INTEGER,
    "next_review_on" DATE,
    "effectiveness" VARCHAR(30) NOT NULL,
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "risk_archived_at" ON "risk" ("archived_at");
CREATE INDEX "risk_process_id" ON "risk" ("process_id");
CREATE INDEX "risk_owner_id" ON "risk" ("owner_id");
CREATE TABLE "objective" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "title" VARCHAR(200) NOT NULL,
    "policy_commitment" VARCHAR(200) NOT NULL,
    "process_id" VARCHAR(36),
    "owner_id" VARCHAR(36),
    "plan" TEXT NOT NULL,
    "resources" TEXT NOT NULL,
    "due_on" DATE,
    "evaluation" TEXT NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "objective_archived_at" ON "objective" ("archived_at");
CREATE INDEX "objective_process_id" ON "objective" ("process_id");
CREATE INDEX "objective_owner_id" ON "objective" ("owner_id");
CREATE TABLE "kpi" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "unit" VARCHAR(30) NOT NULL,
    "direction" VARCHAR(6) NOT NULL,
    "target" REAL,
    "warning_threshold" REAL,
    "failure_threshold" REAL,
    "frequency" VARCHAR(10) NOT NULL,
    "objective_id" VARCHAR(36),
    "process_id" VARCHAR(36),
    "owner_id" VARCHAR(36),
    FOREIGN KEY ("objective_id") REFERENCES "objective" ("id"),
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "kpi_archived_at" ON "kpi" ("archived_at");
CREATE INDEX "kpi_objective_id" ON "kpi" ("objective_id");
CREATE INDEX "kpi_process_id" ON "kpi" ("process_id");
CREATE INDEX "kpi_owner_id" ON "kpi" ("owner_id");
CREATE TABLE "reading" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kpi_id" VARCHAR(36) NOT NULL,
    "period_start" DATE NOT NULL,
    "value" REAL NOT NULL,
    "entered_by" VARCHAR(200) NOT NULL,
    "comment" TEXT NOT NULL,
    FOREIGN KEY ("kpi_id") REFERENCES "kpi" ("id"));
CREATE INDEX "reading_archived_at" ON "reading" ("archived_at");
CREATE INDEX "reading_kpi_id" ON "reading" ("kpi_id");
CREATE UNIQUE INDEX "reading_kpi_id_period_start" ON "reading" ("kpi_id", "period_start");
CREATE TABLE "nonconformity" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "reference" VARCHAR(30) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "raised_on" DATE NOT NULL,
    "source" VARCHAR(12) NOT NULL,
    "process_id" VARCHAR(36),
    "severity" VARCHAR(10) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "closed_on" DATE,
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"));
CREATE INDEX "nonconformity_archived_at" ON "nonconformity" ("archived_at");
CREATE INDEX "nonconformity_process_id" ON "nonconformity" ("process_id");
CREATE TABLE "audit" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "title" VARCHAR(200) NOT NULL,
    "planned_on" DATE NOT NULL,
    "process_id" VARCHAR(36),
    "clause" VARCHAR(20) NOT NULL,
    "auditor_id" VARCHAR(36),
    "status" VARCHAR(12) NOT NULL,
    "held_on" DATE,
    FOREIGN KEY ("process_id") REFERENCES "process" ("id"),
    FOREIGN KEY ("auditor_id") REFERENCES "person" ("id"));
CREATE INDEX "audit_archived_at" ON "audit" ("archived_at");
CREATE INDEX "audit_process_id" ON "audit" ("process_id");
CREATE INDEX "audit_auditor_id" ON "audit" ("auditor_id");
CREATE TABLE "finding" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "audit_id" VARCHAR(36) NOT NULL,
    "clause" VARCHAR(20) NOT NULL,
    "question" TEXT NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "notes" TEXT NOT NULL,
    "nonconformity_id" VARCHAR(36),
    FOREIGN KEY ("audit_id") REFERENCES "audit" ("id"),
    FOREIGN KEY ("nonconformity_id") REFERENCES "nonconformity" ("id"));
CREATE INDEX "finding_archived_at" ON "finding" ("archived_at");
CREATE INDEX "finding_audit_id" ON "finding" ("audit_id");
CREATE INDEX "finding_nonconformity_id" ON "finding" ("nonconformity_id");
CREATE TABLE "management_review" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "meeting_on" DATE NOT NULL,
    "period_start" DATE,
    "period_end" DATE,
    "place" VARCHAR(200) NOT NULL,
    "chair_id" VARCHAR(36),
    "status" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("chair_id") REFERENCES "person" ("id"));
CREATE INDEX "management_review_archived_at" ON "management_review" ("archived_at");
CREATE INDEX "management_review_chair_id" ON "management_review" ("chair_id");
CREATE TABLE "action" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "title" VARCHAR(200) NOT NULL,
    "owner_id" VARCHAR(36),
    "due_on" DATE,
    "original_due_on" DATE,
    "status" VARCHAR(10) NOT NULL,
    "done_on" DATE,
    "evidence" TEXT NOT NULL,
    "source_table" VARCHAR(40) NOT NULL,
    "source_id" VARCHAR(36) NOT NULL,
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"));
CREATE INDEX "action_archived_at" ON "action" ("archived_at");
CREATE INDEX "action_owner_id" ON "action" ("owner_id");
CREATE INDEX "action_due_on" ON "action" ("due_on");
CREATE INDEX "action_status" ON "action" ("status");
CREATE INDEX "action_source_id" ON "action" ("source_id");
CREATE TABLE "change_history" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "changed_at" DATETIME NOT NULL,
    "changed_by" VARCHAR(200) NOT NULL,
    "table_name" VARCHAR(40) NOT NULL,
    "record_id" VARCHAR(36) NOT NULL,
    "operation" VARCHAR(10) NOT NULL,
    "changes" TEXT NOT NULL);
CREATE INDEX "change_history_record_id" ON "change_history" ("record_id");
