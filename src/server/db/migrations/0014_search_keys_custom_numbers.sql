-- The quick search's contact lookups (contacts.repo.ts, term-lookup.ts), as
-- customer_search_keys (0013) for customers: on the table row-level security
-- keeps PostgreSQL from using an index for LIKE or @>. A landline is matched
-- by the start of its digits and an e-mail address by its start (it used to
-- be "contains", which read every contact of the tenant); the full pinyin of
-- a contact's name had no index yet.
CREATE INDEX contacts_pinyin_full ON contacts (tenant_id, pinyin_full text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX contacts_phone_digits ON contacts (tenant_id, regexp_replace(phone, '\D', '', 'g') text_pattern_ops)
  WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE INDEX contacts_email_prefix ON contacts (tenant_id, lower(email) text_pattern_ops)
  WHERE deleted_at IS NULL AND email IS NOT NULL;

CREATE VIEW contact_search_keys AS
  SELECT tenant_id, id, name, pinyin_full, pinyin_initials, mobile, phone, email FROM contacts
  WHERE tenant_id = crm_current_tenant() AND deleted_at IS NULL;
GRANT SELECT ON contact_search_keys TO crm_app;

-- Custom-field range filters (custom-values.ts): numeric comparisons are not
-- leakproof, so under row-level security custom_field_numbers_value served
-- only (tenant_id, field_id) and every number of the field was read. The
-- copy holds JavaScript numbers anyway: as double precision (leakproof
-- comparisons) the planner can look a narrow range up in the index, or walk
-- the list's ordered index testing each row when the range is wide.
ALTER TABLE custom_field_numbers ALTER COLUMN value TYPE double precision;
