-- Question sets imported from files (GIFT, Moodle XML, Aiken, CSV, JSON,
-- our Markdown): who brought them in, when, from which files, and what
-- they changed. A question an import wrote names it, so that loading the
-- content folder at start never retires it.
CREATE TABLE imports (
    id          uuid PRIMARY KEY,
    exam_id     uuid NOT NULL REFERENCES exams (id),
    -- Null when run from the command line, or once the account is gone.
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    -- Who, in words that outlive the account: an email, or "command line".
    actor       text NOT NULL,
    created_at  timestamptz NOT NULL,
    -- [{name, format, bytes, checksum, questions}]
    files       jsonb NOT NULL,
    added       integer NOT NULL,
    changed     integer NOT NULL,
    unchanged   integer NOT NULL,
    skipped     integer NOT NULL,
    warnings    integer NOT NULL
);
CREATE INDEX imports_exam ON imports (exam_id, created_at DESC);

ALTER TABLE questions ADD COLUMN import_id uuid REFERENCES imports (id);
