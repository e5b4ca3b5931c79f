-- Prefix indexes for the register's word search up to eight letters.
-- Every search word is a prefix ("benefit" finds "benefits"); a prefix
-- longer than the indexed lengths made FTS5 gather and merge the lists of
-- every matching term before it could return the newest page, which made
-- two-word searches the slowest. The index is rebuilt from the stored,
-- already normalised text.
DROP TABLE register_fts;
CREATE VIRTUAL TABLE register_fts USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='2 3 4 5 6 7 8');
INSERT INTO register_fts (rowid, search_text) SELECT purchase_id, search_text FROM register_entries;
