-- Assignments (issue 15): an instructor asks a group to take an exam in a
-- mode, by an optional due time. Whether a learner has done one is worked
-- out from their attempts (src/assignments.rs), so nothing here changes
-- when they take it.
CREATE TABLE assignments (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    exam_id        uuid NOT NULL REFERENCES exams (id),
    -- 'exam': a full mock under exam conditions; 'practice': a full mock
    -- with feedback; 'drill': `question_count` questions of `domains`.
    mode           text NOT NULL CHECK (mode IN ('exam', 'practice', 'drill')),
    -- Drill: the domain codes it covers (empty: any). Empty for a mock.
    domains        text[] NOT NULL DEFAULT '{}',
    -- Drill: how many questions. Null for a full mock (the exam's count).
    question_count integer CHECK (question_count > 0),
    due_at         timestamptz,
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    CHECK ((mode = 'drill') = (question_count IS NOT NULL))
);
CREATE INDEX assignments_group ON assignments (group_id, created_at);
