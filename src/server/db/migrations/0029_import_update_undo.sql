-- Undoing an import also restores the records it updated (duplicate handling
-- "update"): per record, the import's change-log entry (each field's value
-- before) and the record's updated_at as the import left it. An undo restores
-- a record only while updated_at is still that: nobody changed it since.
CREATE TABLE import_updates (
  tenant_id bigint NOT NULL,
  job_id bigint NOT NULL,
  record_id bigint NOT NULL,
  changes jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  -- set by the undo: restored, or kept (changed since, or refused by today's rules)
  outcome text CHECK (outcome IN ('restored', 'kept')),
  PRIMARY KEY (tenant_id, job_id, record_id),
  FOREIGN KEY (tenant_id, job_id) REFERENCES import_jobs(tenant_id, id) ON DELETE CASCADE
);
SELECT crm_tenant_table('import_updates');

ALTER TABLE import_jobs ADD COLUMN rows_restored integer NOT NULL DEFAULT 0;
