-- The instructor area: exams have an owner and stay drafts until
-- published; accounts can be disabled; a question version says who made it.
ALTER TABLE exams
    -- Null: the admins' (an exam made from content/, or whose owner is gone).
    ADD COLUMN owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
    -- Learners see only published exams. Every exam before this migration
    -- was visible to them, so they stay published; new ones start as drafts.
    ADD COLUMN published boolean NOT NULL DEFAULT true,
    -- Set when the blueprint is edited in the browser: from then on,
    -- loading content/ at start no longer overwrites it.
    ADD COLUMN blueprint_edited_at timestamptz;
CREATE INDEX exams_owner ON exams (owner_id);

-- A disabled account cannot log in, and its sessions and tokens are ended.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Who made a version, in words that outlive the account: an email, or
-- "command line". Null for versions loaded from content/ or imported
-- before this migration (the import record says who).
ALTER TABLE question_versions ADD COLUMN author text;
