-- Item analysis per exam (issue 15), from summary tables.
--
-- The analysis page must not scan responses: with 50,000 mocks and 3
-- million responses it would take seconds. Instead each finished mock is
-- counted once into `item_tallies`, sums per question and score band from
-- which every statistic is computed (src/analysis/tally.rs). The counting
-- happens after the submit, in the periodic sweep and when the page is
-- opened, never in the submit's transaction: on exam day hundreds of
-- submits at once would all update the same few tally rows and queue on
-- their locks. A submit only marks its mock as waiting (`tallied = false`).

-- The credit each item earned, in parts of a point (Credit::PARTS =
-- 27,720), set at grading. Items graded before this migration get 1 or 0
-- point from `correct`: exact under all-or-nothing credit; a partially
-- right item graded earlier counts as 0.
ALTER TABLE items ADD COLUMN credit integer;
UPDATE items SET credit = CASE WHEN correct THEN 27720 ELSE 0 END WHERE correct IS NOT NULL;

-- Seconds spent on the item, when known (null: unknown). Each save from a
-- page adds the time since the page was shown, or since the previous save
-- from the same page (`view_shown_at`: the shown-at time of the last save).
ALTER TABLE items ADD COLUMN seconds integer;
ALTER TABLE items ADD COLUMN view_shown_at timestamptz;

-- A finished mock waiting to be counted into the tallies. Other modes are
-- never counted; the partial index holds only the waiting mocks, so it
-- stays small however many are counted.
ALTER TABLE attempts ADD COLUMN tallied boolean NOT NULL DEFAULT false;
CREATE INDEX attempts_untallied ON attempts (exam_id, finished_at)
    WHERE finished_at IS NOT NULL AND NOT tallied AND mode = 'exam';
-- Mocks finished in a date range, for the page's from/to filter.
CREATE INDEX attempts_exam_finished ON attempts (exam_id, finished_at)
    WHERE finished_at IS NOT NULL AND mode = 'exam';

-- The groups the learner was in when the attempt was graded: the cohorts
-- it counts for, however the groups change later.
CREATE TABLE attempt_cohorts (
    attempt_id uuid NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    group_id   uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (attempt_id, group_id)
);
CREATE INDEX attempt_cohorts_group ON attempt_cohorts (group_id);

-- Sums per exam, cohort (the nil uuid for everyone, else a group id),
-- question and band (the attempt's total as permille of its scored items'
-- maximum, 0..=1000), all in parts of a point. `rest` is the attempt's
-- total without this item. `chosen` counts each canonical option. Rows are
-- only ever added to (an incremental materialized view of the responses of
-- finished mocks).
CREATE TABLE item_tallies (
    exam_id     uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    cohort      uuid NOT NULL,
    question_id uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    band        smallint NOT NULL CHECK (band BETWEEN 0 AND 1000),
    responses   integer NOT NULL,
    credit      bigint NOT NULL,
    credit_sq   bigint NOT NULL,
    rest        bigint NOT NULL,
    rest_sq     bigint NOT NULL,
    credit_rest bigint NOT NULL,
    seconds     bigint NOT NULL,
    timed       integer NOT NULL,
    chosen      integer[] NOT NULL,
    PRIMARY KEY (exam_id, cohort, question_id, band)
);
