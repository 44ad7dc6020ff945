-- Monthly totals per owner of what the dashboard and the sales targets count
-- (ANA-1, SAL-9): new customers, follow-ups, new and won opportunities, contracts
-- in effect, approved receivables; each by the month of its date in the company
-- calendar and its current owner. Statement triggers with transition tables keep
-- them exact in the changing transaction, so a year of the whole company sums a
-- few thousand rows instead of aggregating hundreds of thousands; days outside
-- whole months are still aggregated from the records themselves.

-- A receivable counts for its contract's owner: it follows the contract when that
-- is transferred (contracts.service transferContract), and existing ones are aligned.
UPDATE receivables r SET owner_id = k.owner_id FROM contracts k
WHERE k.tenant_id = r.tenant_id AND k.id = r.contract_id AND r.owner_id <> k.owner_id;

CREATE TABLE sales_month_totals (
  tenant_id bigint NOT NULL,
  metric text NOT NULL CHECK (metric IN ('new_customer', 'followup', 'new_opportunity', 'won_opportunity', 'contract', 'receivable')),
  -- the first day of the month
  month date NOT NULL,
  owner_id bigint NOT NULL,
  n bigint NOT NULL,
  amount numeric(17, 2) NOT NULL,
  PRIMARY KEY (tenant_id, metric, month, owner_id)
);
SELECT crm_tenant_table('sales_month_totals');

-- What each metric counts, as (month, owner, amount, condition) over its table: the
-- trigger arguments below and the rebuild use the same text.
CREATE TABLE sales_month_metrics (
  metric text PRIMARY KEY,
  table_name text NOT NULL,
  month_of text NOT NULL,
  owner_of text NOT NULL,
  amount_of text NOT NULL,
  counts text NOT NULL
);
INSERT INTO sales_month_metrics VALUES
  ('new_customer', 'customers', $$date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date$$, 'owner_id', '0', 'deleted_at IS NULL'),
  ('followup', 'followups', $$date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date$$, 'created_by', '0', 'deleted_at IS NULL AND customer_id IS NOT NULL'),
  ('new_opportunity', 'opportunities', $$date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date$$, 'owner_id', 'amount_company', 'deleted_at IS NULL'),
  ('won_opportunity', 'opportunities', $$date_trunc('month', won_at AT TIME ZONE 'Asia/Shanghai')::date$$, 'owner_id', 'amount_company', $$deleted_at IS NULL AND status = 'won'$$),
  ('contract', 'contracts', $$date_trunc('month', signed_on)::date$$, 'owner_id', 'amount_company', $$deleted_at IS NULL AND status = 'active'$$),
  ('receivable', 'receivables', $$date_trunc('month', received_on)::date$$, 'owner_id', 'amount_company', $$deleted_at IS NULL AND status = 'approved'$$);
GRANT SELECT ON sales_month_metrics TO crm_app;

-- The rows one metric counts in a relation (a table, or a trigger's transition table).
CREATE FUNCTION crm_sales_month_rows(m sales_month_metrics, relation text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format('SELECT tenant_id, %s AS month, %s AS owner_id, %s AS amount FROM %s WHERE %s AND %s IS NOT NULL AND %s IS NOT NULL',
    m.month_of, m.owner_of, m.amount_of, relation, m.counts, m.month_of, m.owner_of);
$$;

CREATE FUNCTION crm_rebuild_sales_month_totals(t bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE m sales_month_metrics;
BEGIN
  DELETE FROM sales_month_totals WHERE tenant_id = t;
  FOR m IN SELECT * FROM sales_month_metrics LOOP
    EXECUTE format('INSERT INTO sales_month_totals (tenant_id, metric, month, owner_id, n, amount)
      SELECT tenant_id, %L, month, owner_id, count(*), sum(amount) FROM (%s) x WHERE tenant_id = %s GROUP BY 1, 3, 4',
      m.metric, crm_sales_month_rows(m, m.table_name), t);
  END LOOP;
END $$;

-- TG_ARGV: the metrics of the table. Each statement's changes become one delta per
-- (metric, month, owner), applied in key order (no deadlock between opposite moves).
CREATE FUNCTION crm_sales_month_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  m sales_month_metrics;
  delta text;
BEGIN
  FOR m IN SELECT * FROM sales_month_metrics WHERE metric = ANY(TG_ARGV) LOOP
    delta := CASE TG_OP
      WHEN 'INSERT' THEN format('SELECT tenant_id, month, owner_id, 1 AS dn, amount AS da FROM (%s) a', crm_sales_month_rows(m, 'new_rows'))
      WHEN 'DELETE' THEN format('SELECT tenant_id, month, owner_id, -1 AS dn, -amount AS da FROM (%s) a', crm_sales_month_rows(m, 'old_rows'))
      ELSE format('SELECT tenant_id, month, owner_id, 1 AS dn, amount AS da FROM (%s) a UNION ALL SELECT tenant_id, month, owner_id, -1, -amount FROM (%s) b',
        crm_sales_month_rows(m, 'new_rows'), crm_sales_month_rows(m, 'old_rows'))
    END;
    EXECUTE format('INSERT INTO sales_month_totals AS s (tenant_id, metric, month, owner_id, n, amount)
      SELECT tenant_id, %L, month, owner_id, sum(dn), sum(da) FROM (%s) d
      GROUP BY tenant_id, month, owner_id HAVING sum(dn) <> 0 OR sum(da) <> 0 ORDER BY 1, 3, 4
      ON CONFLICT (tenant_id, metric, month, owner_id) DO UPDATE SET n = s.n + EXCLUDED.n, amount = s.amount + EXCLUDED.amount', m.metric, delta);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER sales_month_totals_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_customer');
CREATE TRIGGER sales_month_totals_update AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_customer');
CREATE TRIGGER sales_month_totals_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_customer');

CREATE TRIGGER sales_month_totals_insert AFTER INSERT ON followups REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('followup');
CREATE TRIGGER sales_month_totals_update AFTER UPDATE ON followups REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('followup');
CREATE TRIGGER sales_month_totals_delete AFTER DELETE ON followups REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('followup');

CREATE TRIGGER sales_month_totals_insert AFTER INSERT ON opportunities REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_opportunity', 'won_opportunity');
CREATE TRIGGER sales_month_totals_update AFTER UPDATE ON opportunities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_opportunity', 'won_opportunity');
CREATE TRIGGER sales_month_totals_delete AFTER DELETE ON opportunities REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('new_opportunity', 'won_opportunity');

CREATE TRIGGER sales_month_totals_insert AFTER INSERT ON contracts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('contract');
CREATE TRIGGER sales_month_totals_update AFTER UPDATE ON contracts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('contract');
CREATE TRIGGER sales_month_totals_delete AFTER DELETE ON contracts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('contract');

CREATE TRIGGER sales_month_totals_insert AFTER INSERT ON receivables REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('receivable');
CREATE TRIGGER sales_month_totals_update AFTER UPDATE ON receivables REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('receivable');
CREATE TRIGGER sales_month_totals_delete AFTER DELETE ON receivables REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION crm_sales_month_totals_apply('receivable');

SELECT crm_rebuild_sales_month_totals(id) FROM tenants;
