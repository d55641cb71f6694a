-- Team mode: who may sign in to a server, and with which role. Each account maps a
-- PostgreSQL login role (the name a person signs in with) to a person; the role says what
-- they may change (accounts.py). A file never uses it: a file has no sign-in.
CREATE TABLE "account" (
    "id" VARCHAR(36) NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "archived_at" DATETIME,
    "login" VARCHAR(63) NOT NULL,
    "person_id" VARCHAR(36) NOT NULL,
    "role" VARCHAR(20) NOT NULL
        CHECK ("role" IN ('top_management', 'quality_officer', 'auditor', 'viewer')),
    "row_version" INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY ("person_id") REFERENCES "person" ("id"));
CREATE INDEX "account_archived_at" ON "account" ("archived_at");
CREATE UNIQUE INDEX "account_login" ON "account" ("login");
CREATE INDEX "account_person_id" ON "account" ("person_id");
