-- An exam's declared topics (issue 16): the tags `exam.toml` lists, each
-- with the name the drill picker shows and its domain, in the file's order. Rewritten
-- whole each time the exam's content is loaded; an exam that declares
-- none has no rows, and the picker shows its tags as they are spelled.
CREATE TABLE exam_tags (
    exam_id  uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    tag      text NOT NULL,
    name     text NOT NULL,
    position integer NOT NULL,
    -- The domain the picker lists it under; null: across domains.
    domain   text,
    PRIMARY KEY (exam_id, tag)
);
