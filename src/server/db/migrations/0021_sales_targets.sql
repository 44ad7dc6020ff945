-- Sales targets (销售目标, SAL-9) and what the dashboard (ANA-1) reads.

UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['target.manage']),
  ('sales_director', ARRAY['target.manage']),
  ('sales_manager', ARRAY['target.manage'])
) AS extra(code, p)
WHERE r.code = extra.code;

-- (tables follow)

-- A target per subject (a user, or a department with its sub-departments),
-- metric and period of a year: month 1–12, quarter 1–4 or the year (period 1),
-- in the company currency. A quarter or year without its own row falls back to
-- the sum of its months (targets.service).
CREATE TABLE sales_targets (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint,
  department_id bigint,
  metric text NOT NULL CHECK (metric IN ('contract_amount', 'receivable_amount')),
  year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  period smallint NOT NULL,
  amount numeric(15, 2) NOT NULL CHECK (amount >= 0),
  updated_by bigint,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- exactly one subject, each with its foreign key (a polymorphic id could not have one)
  CHECK (num_nonnulls(user_id, department_id) = 1),
  CHECK (CASE period_kind WHEN 'month' THEN period BETWEEN 1 AND 12 WHEN 'quarter' THEN period BETWEEN 1 AND 4 ELSE period = 1 END),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, updated_by) REFERENCES users(tenant_id, id)
);
CREATE UNIQUE INDEX sales_targets_user ON sales_targets (tenant_id, year, user_id, metric, period_kind, period) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX sales_targets_department ON sales_targets (tenant_id, year, department_id, metric, period_kind, period) WHERE department_id IS NOT NULL;
SELECT crm_tenant_table('sales_targets');

-- Achievement dates a contract by its signing date; one that took effect unsigned
-- gets the day it took effect (contracts.service takeEffect does so from now on).
UPDATE contracts SET signed_on = (coalesce(effective_at, updated_at) AT TIME ZONE 'Asia/Shanghai')::date
WHERE status = 'active' AND signed_on IS NULL;

-- Covering indexes of the dashboard and achievement aggregates. Each query reads
-- one date range of one of them, index-only (the INCLUDE columns are what it sums
-- and the owner it filters on), so a year of the whole company is one range scan
-- per block; a scoped viewer's owner set is a filter on the included owner_id.
CREATE INDEX contracts_signed ON contracts (tenant_id, signed_on) INCLUDE (amount_company, owner_id)
  WHERE status = 'active' AND deleted_at IS NULL;
-- receivables count by their contract's owner (scope and attribution follow the contract);
-- with an owner set the contracts come from contracts_owner_updated and join on contract_id
CREATE INDEX receivables_received ON receivables (tenant_id, received_on) INCLUDE (amount_company, contract_id)
  WHERE status = 'approved' AND deleted_at IS NULL;
CREATE INDEX opportunities_created ON opportunities (tenant_id, created_at) INCLUDE (owner_id, amount_company)
  WHERE deleted_at IS NULL;
CREATE INDEX opportunities_won ON opportunities (tenant_id, won_at) INCLUDE (owner_id, amount_company)
  WHERE deleted_at IS NULL AND status = 'won';
-- follow-ups on customers (and their contacts) by their author
CREATE INDEX followups_created ON followups (tenant_id, created_at) INCLUDE (created_by)
  WHERE deleted_at IS NULL AND customer_id IS NOT NULL;
