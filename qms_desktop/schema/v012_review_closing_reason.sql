-- Closing despite flags: a conclusion that its own inputs contradict (no audit in the period,
-- a readiness gap no decision answers) may still be closed, with the signer's reason; the
-- frozen pack prints the flags and this reason on its sign-off page.
ALTER TABLE "management_review" ADD COLUMN "closing_reason" TEXT NOT NULL DEFAULT '';
