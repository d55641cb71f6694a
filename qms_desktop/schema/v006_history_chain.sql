-- Each history entry is sealed with a hash of its content and of the entry before it
-- (see history_chain.py); the step's Python part seals the entries already there.
ALTER TABLE "change_history" ADD COLUMN "previous_hash" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "change_history" ADD COLUMN "row_hash" VARCHAR(64) NOT NULL DEFAULT '';
