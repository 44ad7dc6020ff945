-- Duplicate control (CUS-12): per entity and field, warn about or refuse a record
-- that matches a live one; and merging two customers.

CREATE TABLE duplicate_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact')),
  field text NOT NULL CHECK (field IN ('name', 'phone', 'email', 'credit_code', 'mobile')),
  mode text NOT NULL CHECK (mode IN ('off', 'warn', 'refuse')),
  PRIMARY KEY (tenant_id, entity_type, field)
);
SELECT crm_tenant_table('duplicate_rules');

CREATE FUNCTION crm_seed_duplicate_rules(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO duplicate_rules (tenant_id, entity_type, field, mode)
  VALUES (t, 'customer', 'name', 'refuse'), (t, 'customer', 'credit_code', 'refuse'), (t, 'customer', 'phone', 'warn'),
         (t, 'customer', 'email', 'warn'), (t, 'contact', 'mobile', 'warn'), (t, 'contact', 'email', 'warn')
  ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_duplicate_rules(id) FROM tenants;

-- phones compare by their digits: 0755-8888 6666 = 075588886666
CREATE INDEX customers_phone_digits ON customers (tenant_id, regexp_replace(phone, '\D', '', 'g')) WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE INDEX customers_email ON customers (tenant_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX contacts_email ON contacts (tenant_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;

-- A merged customer points at the one that absorbed it; the survivor's history
-- includes the merged one's.
ALTER TABLE customers ADD COLUMN merged_into bigint;
CREATE INDEX customers_merged_into ON customers (tenant_id, merged_into) WHERE merged_into IS NOT NULL;

UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['customer.merge', 'settings.duplicate']) ORDER BY 1) WHERE code = 'admin';
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['customer.merge']) ORDER BY 1) WHERE code IN ('sales_director', 'sales_manager');
