-- Imports of products and opportunities, and exports of the product list (CUS-16).

-- The import that created a record: what an undo takes back. Products had no
-- deleted_by yet: an undo (and a delete) now says who removed one.
ALTER TABLE products ADD COLUMN import_job_id bigint, ADD COLUMN deleted_by bigint;
ALTER TABLE opportunities ADD COLUMN import_job_id bigint;
CREATE INDEX products_import_job ON products (tenant_id, import_job_id) WHERE import_job_id IS NOT NULL;
CREATE INDEX opportunities_import_job ON opportunities (tenant_id, import_job_id) WHERE import_job_id IS NOT NULL;

ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_entity_type_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_entity_type_check
  CHECK (entity_type IN ('customer', 'contact', 'lead', 'product', 'opportunity'));
ALTER TABLE export_jobs DROP CONSTRAINT export_jobs_entity_type_check;
ALTER TABLE export_jobs ADD CONSTRAINT export_jobs_entity_type_check
  CHECK (entity_type IN ('customer', 'contact', 'lead', 'opportunity', 'product'));

-- Whoever maintains the catalogue (product.manage) imports and exports it; the
-- sales managers export it too, as they export their opportunities.
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['product.import', 'product.export']) ORDER BY 1)
WHERE 'product.manage' = ANY(permissions);
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['product.export']) ORDER BY 1)
WHERE code IN ('sales_director', 'sales_manager');
-- opportunities are imported by the default roles that import customers and export opportunities
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['opportunity.import']) ORDER BY 1)
WHERE code IN ('admin', 'sales_director', 'sales_manager');
