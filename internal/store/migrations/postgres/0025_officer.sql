-- An invited supplier answers the invitation: it takes part, or declines
-- with a reason the body reads on the purchase ('' = not answered yet).
ALTER TABLE purchase_suppliers ADD COLUMN response TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_suppliers ADD COLUMN response_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_suppliers ADD COLUMN responded_by BIGINT REFERENCES users(id);
ALTER TABLE purchase_suppliers ADD COLUMN responded_at TIMESTAMPTZ;

-- A supplier's questionnaire saved as a draft: one per supplier and
-- purchase, read only by the supplier, replaced on each save and removed
-- when the answers are submitted.
CREATE TABLE supplier_drafts (
    purchase_id BIGINT NOT NULL REFERENCES purchases(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organisations(id),
    answers     TEXT NOT NULL,
    saved_by    BIGINT REFERENCES users(id),
    saved_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (purchase_id, org_id)
);
