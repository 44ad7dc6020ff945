-- Custom fields (SYS-1) on customers, contacts and leads. Values live in a jsonb
-- column on the record (GIN-indexed: equality and "contains" filters); numbers,
-- amounts and dates are also kept in custom_field_numbers so range filters use a
-- btree index, with no DDL when an administrator adds a field.
CREATE TABLE custom_fields (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  key text NOT NULL CHECK (key ~ '^cf_[a-z0-9_]{1,40}$'),
  label text NOT NULL,
  type text NOT NULL CHECK (type IN ('text', 'number', 'money', 'date', 'select', 'multiselect', 'user', 'file')),
  options jsonb NOT NULL DEFAULT '[]',
  required boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, entity_type, key)
);
SELECT crm_tenant_table('custom_fields');

ALTER TABLE customers ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
ALTER TABLE contacts ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
ALTER TABLE leads ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
CREATE INDEX customers_custom ON customers USING gin (custom jsonb_path_ops) WHERE deleted_at IS NULL;
CREATE INDEX contacts_custom ON contacts USING gin (custom jsonb_path_ops) WHERE deleted_at IS NULL;
CREATE INDEX leads_custom ON leads USING gin (custom jsonb_path_ops) WHERE deleted_at IS NULL;

-- number, money and date values (dates as days since 1970-01-01), for range filters
CREATE TABLE custom_field_numbers (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  field_id bigint NOT NULL,
  record_id bigint NOT NULL,
  value numeric NOT NULL,
  PRIMARY KEY (tenant_id, field_id, record_id),
  FOREIGN KEY (tenant_id, field_id) REFERENCES custom_fields(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX custom_field_numbers_value ON custom_field_numbers (tenant_id, field_id, value, record_id);
SELECT crm_tenant_table('custom_field_numbers');

UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['settings.customfield']) ORDER BY 1) WHERE code = 'admin';
