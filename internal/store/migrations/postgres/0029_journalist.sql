-- Red flags by flag: the purchase list, the register and the public view
-- of imported releases filter and count by flag_id; the primary key
-- (purchase_id, pos) cannot serve either.
CREATE INDEX purchase_flags_flag ON purchase_flags(flag_id, purchase_id);
