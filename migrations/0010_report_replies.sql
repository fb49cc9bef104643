-- The problem-report inbox (issue 15): an instructor answers a learner's
-- report. The stored word 'rejected' stays and reads "Not a problem" (one
-- word per status, and no rows to rewrite); 'duplicate' is new.
ALTER TABLE problem_reports DROP CONSTRAINT problem_reports_status_check;
ALTER TABLE problem_reports ADD CONSTRAINT problem_reports_status_check
    CHECK (status IN ('open', 'acknowledged', 'fixed', 'rejected', 'duplicate'));

-- The resolution: the reply the learner reads (plain text), which other
-- report or question it repeats (words, for a duplicate), who resolved it
-- and when. All null while the report is open or acknowledged.
ALTER TABLE problem_reports
    ADD COLUMN reply        text CHECK (length(reply) <= 2000),
    ADD COLUMN duplicate_of text CHECK (length(duplicate_of) <= 200),
    ADD COLUMN resolved_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN resolved_at  timestamptz;

