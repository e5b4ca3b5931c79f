-- Hardening after the outside probe (issue 15).

-- Each line of the public feed keeps the title that was public when the
-- change happened, so a withdrawn purchase renamed afterwards never shows
-- its internal title. Existing lines take the title their entry has now,
-- or none when the entry is no longer public.
ALTER TABLE register_changes ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE register_changes SET title = COALESCE((SELECT e.title FROM register_entries e WHERE e.purchase_id = register_changes.purchase_id), '');
