-- Schema version 3: context (4.1 to 4.3) and the sources of risks. Frozen once released.
ALTER TABLE "risk" ADD COLUMN "source_issue_id" VARCHAR(36) REFERENCES "context_issue" ("id");
ALTER TABLE "risk" ADD COLUMN "source_party_id" VARCHAR(36) REFERENCES "interested_party" ("id");
CREATE INDEX "risk_source_issue_id" ON "risk" ("source_issue_id");
CREATE INDEX "risk_source_party_id" ON "risk" ("source_party_id");
CREATE TABLE "context_issue" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "kind" VARCHAR(8) NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "effect" TEXT NOT NULL,
    "identified_on" DATE NOT NULL,
    "last_reviewed_on" DATE);
CREATE INDEX "context_issue_archived_at" ON "context_issue" ("archived_at");
CREATE TABLE "climate_decision" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "relevant" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "decided_on" DATE NOT NULL,
    "decided_by_id" VARCHAR(36),
    FOREIGN KEY ("decided_by_id") REFERENCES "person" ("id"));
CREATE INDEX "climate_decision_archived_at" ON "climate_decision" ("archived_at");
CREATE INDEX "climate_decision_decided_by_id" ON "climate_decision" ("decided_by_id");
CREATE TABLE "interested_party" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "name" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "description" TEXT NOT NULL,
    "last_reviewed_on" DATE);
CREATE INDEX "interested_party_archived_at" ON "interested_party" ("archived_at");
CREATE TABLE "party_requirement" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "party_id" VARCHAR(36) NOT NULL,
    "requirement" TEXT NOT NULL,
    "addressed" INTEGER NOT NULL,
    "how_addressed" TEXT NOT NULL,
    "last_reviewed_on" DATE,
    FOREIGN KEY ("party_id") REFERENCES "interested_party" ("id"));
CREATE INDEX "party_requirement_archived_at" ON "party_requirement" ("archived_at");
CREATE INDEX "party_requirement_party_id" ON "party_requirement" ("party_id");
CREATE TABLE "scope_item" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "version_id" VARCHAR(36) NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "clause" VARCHAR(20) NOT NULL,
    "justification" TEXT NOT NULL,
    FOREIGN KEY ("version_id") REFERENCES "document_version" ("id"));
CREATE INDEX "scope_item_archived_at" ON "scope_item" ("archived_at");
CREATE INDEX "scope_item_version_id" ON "scope_item" ("version_id");
