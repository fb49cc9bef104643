-- Progress across sessions: confidence on each answer, notes on misses,
-- problem reports, and each learner's own settings and exam dates.

-- "Sure" or "not sure", marked by the learner with the answer; null when
-- not marked.
ALTER TABLE items ADD COLUMN confidence text CHECK (confidence IN ('sure', 'unsure'));

-- Why the learner missed an item, in their own words, on a result.
CREATE TABLE miss_notes (
    attempt_id  uuid NOT NULL,
    position    integer NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    error_tag   text,                   -- one of the learner's error tags
    note        text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (attempt_id, position),
    FOREIGN KEY (attempt_id, position) REFERENCES items (attempt_id, position) ON DELETE CASCADE
);
CREATE INDEX miss_notes_user ON miss_notes (user_id);

-- A learner's report of a problem with a question, with the version they saw.
CREATE TABLE problem_reports (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    question_id uuid NOT NULL REFERENCES questions (id),
    version_id  uuid NOT NULL REFERENCES question_versions (id),
    attempt_id  uuid,
    position    integer,
    reason      text NOT NULL CHECK (reason IN ('wrong-key', 'unclear', 'outdated', 'typo', 'other')),
    comment     text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'fixed', 'rejected')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    FOREIGN KEY (attempt_id, position) REFERENCES items (attempt_id, position) ON DELETE SET NULL
);
CREATE INDEX problem_reports_user ON problem_reports (user_id, created_at DESC);
CREATE INDEX problem_reports_question ON problem_reports (question_id);

-- What a learner set for themselves; one row, made on first change.
CREATE TABLE learner_settings (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- Their list of reasons for a miss; null: the default list.
    error_tags  text[]
);

-- The day a learner sits the real exam, for the plan on /me.
CREATE TABLE exam_dates (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exam_id   uuid NOT NULL REFERENCES exams (id),
    exam_date date NOT NULL,
    PRIMARY KEY (user_id, exam_id)
);
