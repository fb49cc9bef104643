-- Question files an instructor uploaded and is previewing, held here (not
-- on one instance's disk) so that any instance can finish the import.
-- Each expires a day after it was made; the sweep deletes it then.
CREATE TABLE uploads (
    id          uuid PRIMARY KEY,
    exam_id     uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    -- {format, domain_map: [[category, domain]], all_in_domain}
    options     jsonb NOT NULL
);
CREATE INDEX uploads_expiry ON uploads (expires_at);

-- The files themselves, as uploaded.
CREATE TABLE upload_files (
    upload_id   uuid NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    name        text NOT NULL,
    content     bytea NOT NULL,
    PRIMARY KEY (upload_id, position)
);
