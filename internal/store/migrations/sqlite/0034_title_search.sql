-- The purchase list's search box finds text anywhere in a title. Matching
-- LOWER(title) LIKE '%…%' read every title a user may see: seconds at a
-- million purchases. A trigram index answers the same question (does the
-- title contain this text, ignoring case) from an index, for any text of
-- three characters or more; shorter text still scans. Its case folding is
-- Unicode's, so "école" also finds "École", which LOWER (ASCII only on
-- SQLite) did not. The index reads its text from purchases (external
-- content), and the triggers keep it in step with every way a title is
-- written: the forms, the OCDS import, the seeders.
CREATE VIRTUAL TABLE purchase_title_fts USING fts5(title, content = 'purchases', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO purchase_title_fts (purchase_title_fts) VALUES ('rebuild');

CREATE TRIGGER purchase_title_fts_insert AFTER INSERT ON purchases BEGIN
    INSERT INTO purchase_title_fts (rowid, title) VALUES (NEW.id, NEW.title);
END;
CREATE TRIGGER purchase_title_fts_delete AFTER DELETE ON purchases BEGIN
    INSERT INTO purchase_title_fts (purchase_title_fts, rowid, title) VALUES ('delete', OLD.id, OLD.title);
END;
CREATE TRIGGER purchase_title_fts_update AFTER UPDATE OF title ON purchases BEGIN
    INSERT INTO purchase_title_fts (purchase_title_fts, rowid, title) VALUES ('delete', OLD.id, OLD.title);
    INSERT INTO purchase_title_fts (rowid, title) VALUES (NEW.id, NEW.title);
END;
