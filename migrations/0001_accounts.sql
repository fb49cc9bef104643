-- Accounts, server-side sessions and failed-login counters.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'learner'
                  CHECK (role IN ('learner', 'instructor', 'admin')),
    created_at    timestamptz NOT NULL
);
-- Emails are compared without case: Ann@x.org and ann@x.org are one account.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- The cookie holds a random 256-bit token; only its SHA-256 is stored, so a
-- leaked table cannot be replayed.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Failed logins per key ('account:<email>' or 'address:<ip>'), counted here
-- so the limit holds across instances. Unknown emails are counted too, so a
-- lock says nothing about whether an account exists.
CREATE TABLE login_failures (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    window_start timestamptz NOT NULL
);
