-- Readable references ("ACT-2026-014") for the registers a review pack cites, so an auditor
-- can sample a record straight from the page. Nonconformities had theirs already.
--
-- Existing rows are numbered per year of their own date (created_at where the register has
-- none), in order of that date, then creation, then id; a nonconformity without a reference
-- takes the next numbers after those its year already uses. The numbers given are kept in
-- "reference_backfill" for the Python part of this step, which writes each one into the
-- change history, so every record still follows from its history.

ALTER TABLE "action" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "audit" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "context_issue" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "feedback" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "finding" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "interested_party" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "kpi" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "objective" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "process" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "resource_request" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "review_decision" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "risk" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';
ALTER TABLE "supplier" ADD COLUMN "reference" VARCHAR(30) NOT NULL DEFAULT '';

CREATE TEMP TABLE "reference_backfill" (
    "table_name" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    PRIMARY KEY ("table_name", "record_id")
);

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'action', "id", 'ACT-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "action" AS taken WHERE taken."reference" LIKE 'ACT-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "action" WHERE "reference" = '');
UPDATE "action" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'action' AND backfill."record_id" = "action"."id";
CREATE UNIQUE INDEX "action_reference" ON "action" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'audit', "id", 'AUD-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "audit" AS taken WHERE taken."reference" LIKE 'AUD-' || "year" || '-%'))
FROM (SELECT "id", substr("planned_on", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("planned_on", 1, 4) ORDER BY "planned_on", "created_at", "id") AS "number"
      FROM "audit" WHERE "reference" = '');
UPDATE "audit" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'audit' AND backfill."record_id" = "audit"."id";
CREATE UNIQUE INDEX "audit_reference" ON "audit" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'context_issue', "id", 'ISS-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "context_issue" AS taken WHERE taken."reference" LIKE 'ISS-' || "year" || '-%'))
FROM (SELECT "id", substr("identified_on", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("identified_on", 1, 4) ORDER BY "identified_on", "created_at", "id") AS "number"
      FROM "context_issue" WHERE "reference" = '');
UPDATE "context_issue" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'context_issue' AND backfill."record_id" = "context_issue"."id";
CREATE UNIQUE INDEX "context_issue_reference" ON "context_issue" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'feedback', "id", 'FB-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 9) AS INTEGER)), 0)
    FROM "feedback" AS taken WHERE taken."reference" LIKE 'FB-' || "year" || '-%'))
FROM (SELECT "id", substr("received_on", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("received_on", 1, 4) ORDER BY "received_on", "created_at", "id") AS "number"
      FROM "feedback" WHERE "reference" = '');
UPDATE "feedback" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'feedback' AND backfill."record_id" = "feedback"."id";
CREATE UNIQUE INDEX "feedback_reference" ON "feedback" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'finding', "id", 'FND-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "finding" AS taken WHERE taken."reference" LIKE 'FND-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "finding" WHERE "reference" = '');
UPDATE "finding" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'finding' AND backfill."record_id" = "finding"."id";
CREATE UNIQUE INDEX "finding_reference" ON "finding" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'interested_party', "id", 'IP-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 9) AS INTEGER)), 0)
    FROM "interested_party" AS taken WHERE taken."reference" LIKE 'IP-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "interested_party" WHERE "reference" = '');
UPDATE "interested_party" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'interested_party' AND backfill."record_id" = "interested_party"."id";
CREATE UNIQUE INDEX "interested_party_reference" ON "interested_party" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'kpi', "id", 'KPI-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "kpi" AS taken WHERE taken."reference" LIKE 'KPI-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "kpi" WHERE "reference" = '');
UPDATE "kpi" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'kpi' AND backfill."record_id" = "kpi"."id";
CREATE UNIQUE INDEX "kpi_reference" ON "kpi" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'nonconformity', "id", 'NC-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 9) AS INTEGER)), 0)
    FROM "nonconformity" AS taken WHERE taken."reference" LIKE 'NC-' || "year" || '-%'))
FROM (SELECT "id", substr("raised_on", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("raised_on", 1, 4) ORDER BY "raised_on", "created_at", "id") AS "number"
      FROM "nonconformity" WHERE "reference" = '');
UPDATE "nonconformity" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'nonconformity' AND backfill."record_id" = "nonconformity"."id";
CREATE UNIQUE INDEX "nonconformity_reference" ON "nonconformity" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'objective', "id", 'OBJ-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "objective" AS taken WHERE taken."reference" LIKE 'OBJ-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "objective" WHERE "reference" = '');
UPDATE "objective" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'objective' AND backfill."record_id" = "objective"."id";
CREATE UNIQUE INDEX "objective_reference" ON "objective" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'process', "id", 'PRC-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "process" AS taken WHERE taken."reference" LIKE 'PRC-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "process" WHERE "reference" = '');
UPDATE "process" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'process' AND backfill."record_id" = "process"."id";
CREATE UNIQUE INDEX "process_reference" ON "process" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'resource_request', "id", 'RR-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 9) AS INTEGER)), 0)
    FROM "resource_request" AS taken WHERE taken."reference" LIKE 'RR-' || "year" || '-%'))
FROM (SELECT "id", substr("requested_on", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("requested_on", 1, 4) ORDER BY "requested_on", "created_at", "id") AS "number"
      FROM "resource_request" WHERE "reference" = '');
UPDATE "resource_request" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'resource_request' AND backfill."record_id" = "resource_request"."id";
CREATE UNIQUE INDEX "resource_request_reference" ON "resource_request" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'review_decision', "id", 'DEC-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "review_decision" AS taken WHERE taken."reference" LIKE 'DEC-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "review_decision" WHERE "reference" = '');
UPDATE "review_decision" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'review_decision' AND backfill."record_id" = "review_decision"."id";
CREATE UNIQUE INDEX "review_decision_reference" ON "review_decision" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'risk', "id", 'RSK-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "risk" AS taken WHERE taken."reference" LIKE 'RSK-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "risk" WHERE "reference" = '');
UPDATE "risk" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'risk' AND backfill."record_id" = "risk"."id";
CREATE UNIQUE INDEX "risk_reference" ON "risk" ("reference") WHERE ("reference" != '');

INSERT INTO "reference_backfill" ("table_name", "record_id", "reference")
SELECT 'supplier', "id", 'SUP-' || "year" || '-' || printf('%03d', "number" + (
    SELECT COALESCE(MAX(CAST(substr(taken."reference", 10) AS INTEGER)), 0)
    FROM "supplier" AS taken WHERE taken."reference" LIKE 'SUP-' || "year" || '-%'))
FROM (SELECT "id", substr("created_at", 1, 4) AS "year",
             row_number() OVER (PARTITION BY substr("created_at", 1, 4) ORDER BY "created_at", "id") AS "number"
      FROM "supplier" WHERE "reference" = '');
UPDATE "supplier" SET "reference" = backfill."reference"
FROM "reference_backfill" AS backfill
WHERE backfill."table_name" = 'supplier' AND backfill."record_id" = "supplier"."id";
CREATE UNIQUE INDEX "supplier_reference" ON "supplier" ("reference") WHERE ("reference" != '');
