-- The language a person last chose in the chooser, so e-mail reaches them
-- in it ('' means the default, English).
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';
