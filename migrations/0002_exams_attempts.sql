-- Exams, questions with immutable versions, attempts and their items.

CREATE TABLE exams (
    id         uuid PRIMARY KEY,
    slug       text NOT NULL UNIQUE,
    -- The blueprint (title, domains, weights, count, time, scale) as loaded;
    -- each attempt keeps its own copy, so later edits never rescore it.
    blueprint  jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE questions (
    id          uuid PRIMARY KEY,
    exam_id     uuid NOT NULL REFERENCES exams (id),
    key         text NOT NULL,          -- the id in its file, e.g. d3-async-inference
    domain      text NOT NULL,
    kind        text NOT NULL,
    case_key    text,
    tags        text[] NOT NULL,
    source      text NOT NULL,          -- the file it came from
    -- Questions gone from their files are retired: never drawn again, still
    -- shown in old attempts.
    retired     boolean NOT NULL DEFAULT false,
    current_version uuid,
    UNIQUE (exam_id, key)
);
CREATE INDEX questions_exam_domain ON questions (exam_id, domain) WHERE NOT retired;

-- Never updated once written: attempts point at the version they drew.
CREATE TABLE question_versions (
    id           uuid PRIMARY KEY,
    question_id  uuid NOT NULL REFERENCES questions (id),
    number       integer NOT NULL,
    content_hash text NOT NULL,
    content      jsonb NOT NULL,        -- the question and its case study
    created_at   timestamptz NOT NULL,
    UNIQUE (question_id, number)
);
ALTER TABLE questions ADD FOREIGN KEY (current_version) REFERENCES question_versions (id);

CREATE TABLE attempts (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exam_id         uuid NOT NULL REFERENCES exams (id),
    mode            text NOT NULL CHECK (mode IN ('exam', 'practice', 'drill', 'review')),
    blueprint       jsonb NOT NULL,
    -- What was asked for: domains, tag, count, real exam conditions.
    settings        jsonb NOT NULL,
    seed            bigint NOT NULL,
    item_count      integer NOT NULL,
    started_at      timestamptz NOT NULL,
    deadline        timestamptz,        -- null: untimed
    finished_at     timestamptz,
    finished_reason text CHECK (finished_reason IN ('submitted', 'expired')),
    score           jsonb               -- set once, when graded
);
CREATE INDEX attempts_user ON attempts (user_id, started_at DESC);
CREATE INDEX attempts_open_deadline ON attempts (deadline) WHERE finished_at IS NULL AND deadline IS NOT NULL;

CREATE TABLE items (
    attempt_id   uuid NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    position     integer NOT NULL,      -- 1-based
    version_id   uuid NOT NULL REFERENCES question_versions (id),
    domain       text NOT NULL,
    scored       boolean NOT NULL,
    -- What the learner sees at display position p is canonical option_order[p].
    option_order integer[] NOT NULL,
    response     jsonb,
    answered     boolean NOT NULL DEFAULT false,
    flagged      boolean NOT NULL DEFAULT false,
    struck       integer[] NOT NULL DEFAULT '{}',
    -- Each save carries the page's next sequence number; an older save
    -- arriving late cannot overwrite a newer one.
    seq          bigint NOT NULL DEFAULT 0,
    saved_at     timestamptz,
    checked_at   timestamptz,           -- practice: feedback shown, response locked
    correct      boolean,
    PRIMARY KEY (attempt_id, position)
);
CREATE INDEX items_version ON items (version_id);

-- Personal API tokens: only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
