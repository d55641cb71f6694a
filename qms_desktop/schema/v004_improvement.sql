-- Schema version 4: performance and improvement records: feedback, suppliers, root cause,
-- effectiveness, audit checklists, competence, attachments. Frozen once released.
ALTER TABLE "nonconformity" ADD COLUMN "correction" TEXT NOT NULL DEFAULT '';
ALTER TABLE "nonconformity" ADD COLUMN "containment" TEXT NOT NULL DEFAULT '';
ALTER TABLE "nonconformity" ADD COLUMN "reported_by_id" VARCHAR(36) REFERENCES "person" ("id");
CREATE INDEX "nonconformity_reported_by_id" ON "nonconformity" ("reported_by_id");
ALTER TABLE "nonconformity" ADD COLUMN "root_cause" TEXT NOT NULL DEFAULT '';
ALTER TABLE "nonconformity" ADD COLUMN "closure_reason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "audit" ADD COLUMN "scope" TEXT NOT NULL DEFAULT '';
ALTER TABLE "audit" ADD COLUMN "criteria" TEXT NOT NULL DEFAULT '';
ALTER TABLE "audit" ADD COLUMN "summary" TEXT NOT NULL DEFAULT '';
ALTER TABLE "finding" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "finding" ADD COLUMN "guidance" TEXT NOT NULL DEFAULT '';
ALTER TABLE "document" ADD COLUMN "review_due_on" DATE;
ALTER TABLE "document" ADD COLUMN "retention" VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE "document" ADD COLUMN "location" VARCHAR(300) NOT NULL DEFAULT '';
CREATE TABLE "feedback" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kind" VARCHAR(12) NOT NULL,
    "customer" VARCHAR(200) NOT NULL,
    "received_on" DATE NOT NULL,
    "product" VARCHAR(200) NOT NULL,
    "severity" VARCHAR(10) NOT NULL,
    "description" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "closed_on" DATE,
    "nonconformity_id" VARCHAR(36),
    FOREIGN KEY ("nonconformity_id") REFERENCES "nonconformity" ("id"));
CREATE INDEX "feedback_archived_at" ON "feedback" ("archived_at");
CREATE INDEX "feedback_received_on" ON "feedback" ("received_on");
CREATE INDEX "feedback_nonconformity_id" ON "feedback" ("nonconformity_id");
CREATE TABLE "satisfaction_result" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "period_start" DATE NOT NULL,
    "score" REAL NOT NULL,
    "scale_max" REAL NOT NULL,
    "responses" INTEGER NOT NULL,
    "method" VARCHAR(200) NOT NULL);
CREATE INDEX "satisfaction_result_archived_at" ON "satisfaction_result" ("archived_at");
CREATE TABLE "supplier" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "provides" TEXT NOT NULL,
    "criticality" VARCHAR(6) NOT NULL,
    "approval" VARCHAR(12) NOT NULL,
    "contact" VARCHAR(200) NOT NULL,
    "reevaluation_due_on" DATE);
CREATE INDEX "supplier_archived_at" ON "supplier" ("archived_at");
CREATE TABLE "supplier_evaluation" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "supplier_id" VARCHAR(36) NOT NULL,
    "evaluated_on" DATE NOT NULL,
    "quality" INTEGER NOT NULL,
    "delivery" INTEGER NOT NULL,
    "price" INTEGER NOT NULL,
    "responsiveness" INTEGER NOT NULL,
    "notes" TEXT NOT NULL,
    "evaluated_by_id" VARCHAR(36),
    FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id"),
    FOREIGN KEY ("evaluated_by_id") REFERENCES "person" ("id"));
CREATE INDEX "supplier_evaluation_archived_at" ON "supplier_evaluation" ("archived_at");
CREATE INDEX "supplier_evaluation_supplier_id" ON "supplier_evaluation" ("supplier_id");
CREATE INDEX "supplier_evaluation_evaluated_by_id" ON "supplier_evaluation" ("evaluated_by_id");
CREATE TABLE "why_step" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "nonconformity_id" VARCHAR(36) NOT NULL,
    "position" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    FOREIGN KEY ("nonconformity_id") REFERENCES "nonconformity" ("id"));
CREATE INDEX "why_step_archived_at" ON "why_step" ("archived_at");
CREATE INDEX "why_step_nonconformity_id" ON "why_step" ("nonconformity_id");
CREATE UNIQUE INDEX "why_step_nonconformity_id_position" ON "why_step" ("nonconformity_id", "position");
CREATE TABLE "fishbone_cause" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "nonconformity_id" VARCHAR(36) NOT NULL,
    "category" VARCHAR(12) NOT NULL,
    "cause" TEXT NOT NULL,
    "is_root" INTEGER NOT NULL,
    FOREIGN KEY ("nonconformity_id") REFERENCES "nonconformity" ("id"));
CREATE INDEX "fishbone_cause_archived_at" ON "fishbone_cause" ("archived_at");
CREATE INDEX "fishbone_cause_nonconformity_id" ON "fishbone_cause" ("nonconformity_id");
CREATE TABLE "effectiveness_review" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "nonconformity_id" VARCHAR(36) NOT NULL,
    "reviewed_on" DATE NOT NULL,
    "verdict" VARCHAR(14) NOT NULL,
    "notes" TEXT NOT NULL,
    "reviewed_by_id" VARCHAR(36),
    FOREIGN KEY ("nonconformity_id") REFERENCES "nonconformity" ("id"),
    FOREIGN KEY ("reviewed_by_id") REFERENCES "person" ("id"));
CREATE INDEX "effectiveness_review_archived_at" ON "effectiveness_review" ("archived_at");
CREATE INDEX "effectiveness_review_nonconformity_id" ON "effectiveness_review" ("nonconformity_id");
CREATE INDEX "effectiveness_review_reviewed_by_id" ON "effectiveness_review" ("reviewed_by_id");
CREATE TABLE "checklist_template" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "clause" VARCHAR(20) NOT NULL,
    "description" TEXT NOT NULL);
CREATE INDEX "checklist_template_archived_at" ON "checklist_template" ("archived_at");
CREATE TABLE "checklist_question" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "template_id" VARCHAR(36) NOT NULL,
    "position" INTEGER NOT NULL,
    "clause" VARCHAR(20) NOT NULL,
    "question" TEXT NOT NULL,
    "guidance" TEXT NOT NULL,
    FOREIGN KEY ("template_id") REFERENCES "checklist_template" ("id"));
CREATE INDEX "checklist_question_archived_at" ON "checklist_question" ("archived_at");
CREATE INDEX "checklist_question_template_id" ON "checklist_question" ("template_id");
CREATE TABLE "competence" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "role_id" VARCHAR(36) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "renew_every_months" INTEGER,
    FOREIGN KEY ("role_id") REFERENCES "role" ("id"));
CREATE INDEX "competence_archived_at" ON "competence" ("archived_at");
CREATE INDEX "competence_role_id" ON "competence" ("role_id");
CREATE TABLE "training_record" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "person_id" VARCHAR(36) NOT NULL,
    "competence_id" VARCHAR(36),
    "title" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(14) NOT NULL,
    "completed_on" DATE NOT NULL,
    "expires_on" DATE,
    "provider" VARCHAR(200) NOT NULL,
    "evidence" TEXT NOT NULL,
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("competence_id") REFERENCES "competence" ("id"));
CREATE INDEX "training_record_archived_at" ON "training_record" ("archived_at");
CREATE INDEX "training_record_person_id" ON "training_record" ("person_id");
CREATE INDEX "training_record_competence_id" ON "training_record" ("competence_id");
CREATE TABLE "attachment" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "table_name" VARCHAR(40) NOT NULL,
    "record_id" VARCHAR(36) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(100) NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "data" BLOB NOT NULL);
CREATE INDEX "attachment_archived_at" ON "attachment" ("archived_at");
CREATE INDEX "attachment_record_id" ON "attachment" ("record_id");
