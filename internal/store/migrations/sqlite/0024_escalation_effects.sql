-- What an oversight body's decision on an escalated complaint sets in
-- motion: the version of the decision it writes for the public register
-- (with nothing that identifies the person), and whether it asked the body
-- to re-open the purchase's assessment.
ALTER TABLE complaint_escalations ADD COLUMN public_text TEXT NOT NULL DEFAULT '';
ALTER TABLE complaint_escalations ADD COLUMN reopen BOOLEAN NOT NULL DEFAULT FALSE;
