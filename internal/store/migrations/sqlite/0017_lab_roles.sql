-- The Learning Lab's network roles and the review of its content.
--
-- A role is held by a person and given by the network (a site
-- administrator or a network lead). Removing a role keeps the row, so the
-- page of roles shows who appointed whom, and who removed them, and when.
CREATE TABLE lab_roles (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    role         TEXT NOT NULL,
    hub          TEXT NOT NULL DEFAULT '',
    appointed_by INTEGER REFERENCES users(id),
    appointed_at TIMESTAMP NOT NULL,
    removed_by   INTEGER REFERENCES users(id),
    removed_at   TIMESTAMP
);
CREATE UNIQUE INDEX lab_roles_held ON lab_roles(user_id, role, hub) WHERE removed_at IS NULL;

-- Who gave an answer (their organisation when they gave it), who reviewed
-- it and when, and which editor published it. A proposal is 'draft', a
-- reviewer's approval makes it 'reviewed', an editor's publication makes it
-- 'approved' (public), a reviewer or editor may make it 'returned'.
ALTER TABLE law_answers ADD COLUMN respondent_org INTEGER REFERENCES organisations(id);
ALTER TABLE law_answers ADD COLUMN reviewed_at TIMESTAMP;
ALTER TABLE law_answers ADD COLUMN publisher_id INTEGER REFERENCES users(id);
UPDATE law_answers SET respondent_org = (SELECT u.org_id FROM users u WHERE u.id = law_answers.respondent_id)
    WHERE respondent_id IS NOT NULL;

-- Practices follow the same steps: 'draft', 'reviewed', 'published',
-- 'returned'.
ALTER TABLE practices ADD COLUMN reviewer_id INTEGER REFERENCES users(id);
ALTER TABLE practices ADD COLUMN reviewed_at TIMESTAMP;
ALTER TABLE practices ADD COLUMN publisher_id INTEGER REFERENCES users(id);

-- Before network roles existed any organisation's administrator approved
-- answers and published practices alone, their own organisation's
-- included, so no approval given then is a review by the network. People's
-- answers and practices published that way go back to the review queue
-- with a note; starting content shipped with buyright stays public and is
-- shown as not reviewed by a network member.
UPDATE law_answers SET status = 'draft', reviewer_id = NULL, approved_at = NULL,
    review_note = 'Approved before the Lab had network reviewers; waiting for a review by one.'
    WHERE status = 'approved' AND starting = FALSE;
DELETE FROM practices_fts WHERE rowid IN (SELECT id FROM practices WHERE status = 'published' AND author_id IS NOT NULL);
UPDATE practices SET status = 'draft', published_at = NULL,
    review_note = 'Published before the Lab had network reviewers; waiting for a review by one.'
    WHERE status = 'published' AND author_id IS NOT NULL;

-- Law-map questions added or reworded by a Lab editor in the interface. A
-- row whose code is a built-in question's replaces its words; any other row
-- is a new question with the usual answer options. The audit log keeps
-- every change with its old and new words.
CREATE TABLE lab_questions (
    code       TEXT PRIMARY KEY,
    group_code TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    title_pt   TEXT NOT NULL DEFAULT '',
    title_es   TEXT NOT NULL DEFAULT '',
    title_fr   TEXT NOT NULL DEFAULT '',
    help_en    TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);
