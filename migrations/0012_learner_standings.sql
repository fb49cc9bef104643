-- A learner's standing in one exam (issue 15, the class dashboard): what the
-- dashboard shows per member, kept at grading time so that a 200-learner
-- group is read as 200 rows, not computed from each learner's whole
-- history on each request. Computed by the same rules as /me; the sweep
-- refreshes a row whose `through` is older than the learner's latest
-- finished attempt in that exam (a refresh that failed at grading time, or
-- attempts written without it).
CREATE TABLE learner_standings (
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exam_id           uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    finished_mocks    integer NOT NULL,
    finished_attempts integer NOT NULL,
    -- The latest and the best finished mock; null before the first.
    latest_scaled     integer,
    latest_passed     boolean,
    latest_at         timestamptz,
    best_scaled       integer,
    best_passed       boolean,
    -- Per domain, the figure readiness reads (its last 40 new answers):
    -- [{"code": "D1", "correct": 12, "total": 18}, ...] in blueprint order.
    domains           jsonb NOT NULL,
    verdict           text NOT NULL CHECK (verdict IN ('ready', 'not-yet', 'too-little-data')),
    statement         text NOT NULL,
    -- The latest finished_at among the attempts this was computed from: a
    -- later finished attempt makes the row stale.
    through           timestamptz NOT NULL,
    computed_at       timestamptz NOT NULL,
    PRIMARY KEY (user_id, exam_id)
);
-- The dashboard reads one exam's rows for a group's members.
CREATE INDEX learner_standings_exam ON learner_standings (exam_id, user_id);
-- The sweep finds each learner's latest finished attempt per exam.
CREATE INDEX attempts_user_exam_finished ON attempts (user_id, exam_id, finished_at) WHERE finished_at IS NOT NULL;
