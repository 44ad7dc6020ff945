-- The nightly pool rules (pool-rules.repo.ts) read only the customers a rule
-- could make due, one index per rule kind, instead of every owned customer:
-- the last touch (no follow-up), the start of ownership of those not won (no
-- deal), and of those claimed or assigned and not contacted since.
CREATE INDEX customers_last_touch ON customers (tenant_id, greatest(owner_since, last_followup_at))
  WHERE deleted_at IS NULL AND owner_id IS NOT NULL;
CREATE INDEX customers_owned_not_won ON customers (tenant_id, owner_since)
  WHERE deleted_at IS NULL AND owner_id IS NOT NULL AND status_code <> 'won';
CREATE INDEX customers_not_contacted ON customers (tenant_id, owner_since)
  WHERE deleted_at IS NULL AND owner_id IS NOT NULL AND acquired_via IN ('claim', 'assign')
    AND (last_followup_at IS NULL OR last_followup_at < owner_since);

-- The quick search's index lookups (customers.repo.ts termLookup). On a table
-- with row-level security PostgreSQL uses an index only for leakproof
-- operators, and LIKE and the bigram array's @> are not: every search would
-- read the tenant's whole table. The view, owned like the table and so not
-- under its policy, applies the same tenant condition itself and exposes only
-- the search keys; the rows found are then read from the table, under the
-- policy and the data scope.
CREATE VIEW customer_search_keys AS
  SELECT tenant_id, id, name, pinyin_full, pinyin_initials, code FROM customers
  WHERE tenant_id = crm_current_tenant() AND deleted_at IS NULL;
GRANT SELECT ON customer_search_keys TO crm_app;
