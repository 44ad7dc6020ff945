-- Attachments on customers, contacts, leads and follow-ups. The file itself is in
-- the file storage under storage_key; several rows may share one key (a lead's
-- files shown on the customer it became).
CREATE TABLE attachments (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead', 'followup')),
  entity_id bigint NOT NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  uploaded_by bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, uploaded_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX attachments_record ON attachments (tenant_id, entity_type, entity_id, created_at DESC);
CREATE INDEX attachments_key ON attachments (storage_key);
SELECT crm_tenant_table('attachments');
