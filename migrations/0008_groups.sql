-- Groups (issue 15): an instructor's class, joined by learners with a
-- short code. Assignments will refer to groups (id).
CREATE TABLE groups (
    id              uuid PRIMARY KEY,
    -- Null: the admins' (its instructor's account is gone).
    owner_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- Stored as typed by no one: eight characters of the code's alphabet,
    -- upper case, without the dash shown to people.
    join_code       text NOT NULL CHECK (join_code ~ '^[A-Z2-9]{8}$'),
    code_expires_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX groups_join_code_key ON groups (join_code);
CREATE INDEX groups_owner ON groups (owner_id);

CREATE TABLE group_members (
    group_id  uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
-- A learner's own groups, on /me.
CREATE INDEX group_members_user ON group_members (user_id);
