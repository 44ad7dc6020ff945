-- Imports of customers, contacts and leads from XLSX/CSV files, and exports
-- too large to wait for in the browser (CUS-16).
--
-- A job reads its file in order and settles its rows in batches; each batch's
-- records, its failed rows and the job's counters commit together, so
-- rows_done is exactly the number of data rows whose outcome is stored: a run
-- that dies restarts after them and writes nothing twice.

CREATE TABLE import_jobs (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  file_name text NOT NULL,
  file_key text NOT NULL,
  file_format text NOT NULL CHECK (file_format IN ('xlsx', 'csv')),
  encoding text,
  headers text[] NOT NULL,
  -- mapping, duplicate handling, owner (ImportSettings); set when the import starts
  settings jsonb,
  locale text NOT NULL DEFAULT 'zh-CN',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'queued', 'running', 'completed', 'failed', 'cancelled', 'undone')),
  rows_done integer NOT NULL DEFAULT 0,
  rows_created integer NOT NULL DEFAULT 0,
  rows_updated integer NOT NULL DEFAULT 0,
  rows_skipped integer NOT NULL DEFAULT 0,
  rows_failed integer NOT NULL DEFAULT 0,
  rows_undone integer NOT NULL DEFAULT 0,
  rows_kept integer NOT NULL DEFAULT 0,
  progress real NOT NULL DEFAULT 0,
  cancel_requested boolean NOT NULL DEFAULT false,
  error text,
  created_by bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- the running server's sign of life, renewed with every batch; a stale one lets another server resume the job
  heartbeat_at timestamptz,
  -- when the current run began and how far the file was then: the pace for the time left
  run_started_at timestamptz,
  run_started_progress real NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX import_jobs_by_entity ON import_jobs (tenant_id, entity_type, id DESC);
-- the resume sweep, across tenants
CREATE INDEX import_jobs_unfinished ON import_jobs (heartbeat_at) WHERE status IN ('queued', 'running');
SELECT crm_tenant_table('import_jobs');

-- The rows that could not be imported, as read, with the reason.
CREATE TABLE import_failures (
  tenant_id bigint NOT NULL,
  job_id bigint NOT NULL,
  row_number integer NOT NULL,
  cells text[] NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (tenant_id, job_id, row_number),
  FOREIGN KEY (tenant_id, job_id) REFERENCES import_jobs(tenant_id, id) ON DELETE CASCADE
);
SELECT crm_tenant_table('import_failures');

-- Column mappings remembered per user and entity: a header's normalised text → field key.
CREATE TABLE import_mappings (
  tenant_id bigint NOT NULL,
  user_id bigint NOT NULL,
  entity_type text NOT NULL,
  mapping jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, entity_type),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
SELECT crm_tenant_table('import_mappings');

-- The import that created a record: what an undo takes back.
ALTER TABLE customers ADD COLUMN import_job_id bigint;
ALTER TABLE contacts ADD COLUMN import_job_id bigint;
ALTER TABLE leads ADD COLUMN import_job_id bigint;
CREATE INDEX customers_import_job ON customers (tenant_id, import_job_id) WHERE import_job_id IS NOT NULL;
CREATE INDEX contacts_import_job ON contacts (tenant_id, import_job_id) WHERE import_job_id IS NOT NULL;
CREATE INDEX leads_import_job ON leads (tenant_id, import_job_id) WHERE import_job_id IS NOT NULL;

-- The default roles that export these lists import them too; marketing imports leads.
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['customer.import', 'contact.import', 'lead.import']),
  ('sales_director', ARRAY['customer.import', 'contact.import', 'lead.import']),
  ('sales_manager', ARRAY['customer.import', 'contact.import', 'lead.import']),
  ('marketing', ARRAY['lead.import'])
) AS extra(code, p)
WHERE r.code = extra.code;
-- exports of the opportunity list (the roles that manage opportunities)
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || ARRAY['opportunity.export']) ORDER BY 1)
FROM (VALUES ('admin'), ('sales_director'), ('sales_manager')) AS extra(code)
WHERE r.code = extra.code;

-- Duplicate checks by name and phone compare expressions (crm_match_key, the
-- phone's digits) that are not leakproof, so under row-level security
-- PostgreSQL would not use their indexes and would read the tenant's whole
-- table for every check (seconds at a million customers; an import checks
-- thousands of rows a second). As customer_search_keys (0013), the view is
-- owned like the table, applies the tenant condition itself, and exposes only
-- what a duplicate check reads.
CREATE VIEW customer_match_keys AS
  SELECT tenant_id, id, name, owner_id, phone, email, credit_code, code FROM customers
  WHERE tenant_id = crm_current_tenant() AND deleted_at IS NULL;
GRANT SELECT ON customer_match_keys TO crm_app;

-- An export written in the background to a file the user downloads when told
-- it is ready; the list's query (filters, columns, format) as it was asked.
CREATE TABLE export_jobs (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead', 'opportunity')),
  query jsonb NOT NULL,
  locale text NOT NULL DEFAULT 'zh-CN',
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  file_name text,
  file_key text,
  file_size bigint,
  rows integer,
  error text,
  created_by bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX export_jobs_by_user ON export_jobs (tenant_id, created_by, id DESC);
CREATE INDEX export_jobs_running ON export_jobs (heartbeat_at) WHERE status = 'running';
SELECT crm_tenant_table('export_jobs');
