-- Schema version 5: management review minutes, decisions and frozen packs. Frozen once released.
ALTER TABLE "management_review" ADD COLUMN "minute_taker_id" VARCHAR(36) REFERENCES "person" ("id");
CREATE INDEX "management_review_minute_taker_id" ON "management_review" ("minute_taker_id");
ALTER TABLE "management_review" ADD COLUMN "suitability" TEXT NOT NULL DEFAULT '';
ALTER TABLE "management_review" ADD COLUMN "adequacy" TEXT NOT NULL DEFAULT '';
ALTER TABLE "management_review" ADD COLUMN "effectiveness" TEXT NOT NULL DEFAULT '';
ALTER TABLE "management_review" ADD COLUMN "strategy_alignment" TEXT NOT NULL DEFAULT '';
ALTER TABLE "management_review" ADD COLUMN "next_review_on" DATE;
ALTER TABLE "management_review" ADD COLUMN "closed_at" DATETIME;
ALTER TABLE "management_review" ADD COLUMN "closed_by_id" VARCHAR(36) REFERENCES "person" ("id");
CREATE INDEX "management_review_closed_by_id" ON "management_review" ("closed_by_id");
ALTER TABLE "management_review" ADD COLUMN "closed_by_top_management" INTEGER NOT NULL DEFAULT 0;
CREATE TABLE "review_attendance" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "review_id" VARCHAR(36) NOT NULL,
    "person_id" VARCHAR(36) NOT NULL,
    "role_label" VARCHAR(200) NOT NULL,
    "present" INTEGER NOT NULL,
    "is_top_management" INTEGER NOT NULL,
    FOREIGN KEY ("review_id") REFERENCES "management_review" ("id"),
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"));
CREATE INDEX "review_attendance_archived_at" ON "review_attendance" ("archived_at");
CREATE INDEX "review_attendance_review_id" ON "review_attendance" ("review_id");
CREATE INDEX "review_attendance_person_id" ON "review_attendance" ("person_id");
CREATE UNIQUE INDEX "review_attendance_review_id_person_id" ON "review_attendance" ("review_id", "person_id");
CREATE TABLE "review_input" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "review_id" VARCHAR(36) NOT NULL,
    "code" VARCHAR(4) NOT NULL,
    "commentary" TEXT NOT NULL,
    "conclusion" TEXT NOT NULL,
    FOREIGN KEY ("review_id") REFERENCES "management_review" ("id"));
CREATE INDEX "review_input_archived_at" ON "review_input" ("archived_at");
CREATE INDEX "review_input_review_id" ON "review_input" ("review_id");
CREATE UNIQUE INDEX "review_input_review_id_code" ON "review_input" ("review_id", "code");
CREATE TABLE "review_decision" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "review_id" VARCHAR(36) NOT NULL,
    "kind" VARCHAR(12) NOT NULL,
    "description" TEXT NOT NULL,
    "owner_id" VARCHAR(36),
    "due_on" DATE,
    "action_id" VARCHAR(36),
    "answers_table" VARCHAR(40) NOT NULL,
    "answers_id" VARCHAR(36) NOT NULL,
    FOREIGN KEY ("review_id") REFERENCES "management_review" ("id"),
    FOREIGN KEY ("owner_id") REFERENCES "person" ("id"),
    FOREIGN KEY ("action_id") REFERENCES "action" ("id"));
CREATE INDEX "review_decision_archived_at" ON "review_decision" ("archived_at");
CREATE INDEX "review_decision_review_id" ON "review_decision" ("review_id");
CREATE INDEX "review_decision_owner_id" ON "review_decision" ("owner_id");
CREATE INDEX "review_decision_action_id" ON "review_decision" ("action_id");
CREATE TABLE "review_pack" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "review_id" VARCHAR(36) NOT NULL,
    "pack_version" INTEGER NOT NULL,
    "is_final" INTEGER NOT NULL,
    "generated_at" DATETIME NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "pdf" BLOB NOT NULL,
    "snapshot" TEXT NOT NULL,
    FOREIGN KEY ("review_id") REFERENCES "management_review" ("id"));
CREATE INDEX "review_pack_archived_at" ON "review_pack" ("archived_at");
CREATE INDEX "review_pack_review_id" ON "review_pack" ("review_id");
