-- Offline site audit kits: who answered a checklist question and when (in the app or on site),
-- and each kit made for an audit, with its questions' answers as they stood when it was made
-- and as last merged back, so an answer changed in the app meanwhile is seen as a conflict.
ALTER TABLE "finding" ADD COLUMN "answered_by" VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE "finding" ADD COLUMN "answered_at" DATETIME;
CREATE TABLE "audit_kit" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "audit_id" VARCHAR(36) NOT NULL,
    "made_by" VARCHAR(200) NOT NULL,
    "questions" TEXT NOT NULL,
    "merged" TEXT NOT NULL,
    "imported_at" DATETIME,
    FOREIGN KEY ("audit_id") REFERENCES "audit" ("id"));
CREATE INDEX "audit_kit_archived_at" ON "audit_kit" ("archived_at");
CREATE INDEX "audit_kit_audit_id" ON "audit_kit" ("audit_id");
