-- A review's cut-off: its pack describes the records as they stood at the end of this day
-- (none: the meeting date).
ALTER TABLE "management_review" ADD COLUMN "cut_off_on" DATE;
