-- Opportunities (商机, SAL-1/2/3): configurable pipelines (销售流程) with ordered
-- stages and win rates, opportunities with product lines, contacts and a stage
-- history, lost reasons; the kanban board and the weighted forecast read them.

-- A company may run several pipelines; exactly one is the default for new opportunities.
CREATE TABLE pipelines (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  sort int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (enabled OR NOT is_default)
);
CREATE UNIQUE INDEX pipelines_one_default ON pipelines (tenant_id) WHERE is_default;
CREATE UNIQUE INDEX pipelines_name ON pipelines (tenant_id, name);
SELECT crm_tenant_table('pipelines');

-- Stages in `sort` order; every pipeline also has exactly one won (100 %) and one
-- lost (0 %) stage, the outcomes. An opportunity's status is its stage's kind.
CREATE TABLE pipeline_stages (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  pipeline_id bigint NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'won', 'lost')),
  win_rate smallint NOT NULL CHECK (win_rate BETWEEN 0 AND 100),
  sort int NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, pipeline_id, id),
  FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines(tenant_id, id),
  CHECK (kind = 'open' OR (enabled AND win_rate = CASE kind WHEN 'won' THEN 100 ELSE 0 END))
);
CREATE UNIQUE INDEX pipeline_stages_outcome ON pipeline_stages (tenant_id, pipeline_id, kind) WHERE kind <> 'open';
SELECT crm_tenant_table('pipeline_stages');

-- Why opportunities were lost (输单原因), editable by an administrator.
CREATE TABLE opportunity_lost_reasons (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  sort int NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX opportunity_lost_reasons_name ON opportunity_lost_reasons (tenant_id, name);
SELECT crm_tenant_table('opportunity_lost_reasons');

CREATE TABLE opportunities (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  name text NOT NULL,
  customer_id bigint NOT NULL,
  -- in `currency`; amount_company is its company-currency copy at the rate of the day it was written (reports sum it)
  amount numeric(15, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
  currency char(3) NOT NULL,
  amount_company numeric(15, 2) NOT NULL DEFAULT 0,
  -- with lines, the amount is their total unless someone set it by hand
  amount_overridden boolean NOT NULL DEFAULT false,
  expected_close_date date,
  pipeline_id bigint NOT NULL,
  stage_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
  won_at timestamptz,
  lost_at timestamptz,
  lost_reason_id bigint,
  lost_note text,
  source_code text,
  description text,
  owner_id bigint NOT NULL,
  department_id bigint,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by bigint,
  PRIMARY KEY (tenant_id, id),
  -- erasing a customer for good (recycle bin) erases its opportunities with it
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, pipeline_id, stage_id) REFERENCES pipeline_stages(tenant_id, pipeline_id, id),
  FOREIGN KEY (tenant_id, lost_reason_id) REFERENCES opportunity_lost_reasons(tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments(tenant_id, id)
);
CREATE UNIQUE INDEX opportunities_code ON opportunities (tenant_id, code);
-- lists: the scope's owners in update order (per owner, as customers are paged)
CREATE INDEX opportunities_owner_updated ON opportunities (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_updated ON opportunities (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
-- the board: one LATERAL per stage reads the stage's cards in order (scope "all")
CREATE INDEX opportunities_stage ON opportunities (tenant_id, pipeline_id, stage_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
-- the board for an owner set: per owner and stage, the counts and sums index-only, the cards in order
CREATE INDEX opportunities_owner_stage ON opportunities (tenant_id, owner_id, stage_id, updated_at DESC, id DESC)
  INCLUDE (amount_company) WHERE deleted_at IS NULL;
-- forecast: open opportunities by expected close date
CREATE INDEX opportunities_forecast ON opportunities (tenant_id, expected_close_date)
  INCLUDE (owner_id, stage_id, amount_company) WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX opportunities_customer ON opportunities (tenant_id, customer_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
SELECT crm_tenant_table('opportunities');

-- The customer's contacts involved in the deal.
CREATE TABLE opportunity_contacts (
  tenant_id bigint NOT NULL,
  opportunity_id bigint NOT NULL,
  contact_id bigint NOT NULL,
  PRIMARY KEY (tenant_id, opportunity_id, contact_id),
  FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX opportunity_contacts_contact ON opportunity_contacts (tenant_id, contact_id);
SELECT crm_tenant_table('opportunity_contacts');

-- Product lines; name and unit are copied so a later product change does not alter the deal.
CREATE TABLE opportunity_lines (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  opportunity_id bigint NOT NULL,
  product_id bigint NOT NULL,
  product_name text NOT NULL,
  unit text NOT NULL,
  quantity numeric(13, 3) NOT NULL CHECK (quantity > 0),
  price numeric(15, 2) NOT NULL CHECK (price >= 0),
  discount numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100),
  amount numeric(15, 2) NOT NULL,
  sort int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX opportunity_lines_opportunity ON opportunity_lines (tenant_id, opportunity_id, sort);
CREATE INDEX opportunity_lines_product ON opportunity_lines (tenant_id, product_id);
SELECT crm_tenant_table('opportunity_lines');

-- Every stage change (advance, win, lose, reopen, drag on the board) with its note.
CREATE TABLE opportunity_stage_history (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  opportunity_id bigint NOT NULL,
  -- the stages as they were named then: a stage deleted later leaves its history readable
  from_stage_id bigint,
  from_stage_name text,
  to_stage_id bigint NOT NULL,
  to_stage_name text NOT NULL,
  note text,
  changed_by bigint,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, changed_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX opportunity_stage_history_opportunity ON opportunity_stage_history (tenant_id, opportunity_id, changed_at DESC, id DESC);
SELECT crm_tenant_table('opportunity_stage_history');

-- Opportunities carry attachments (the list of 0017 plus opportunity).
ALTER TABLE attachments DROP CONSTRAINT attachments_entity_type_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_entity_type_check
  CHECK (entity_type IN ('customer', 'contact', 'lead', 'followup', 'expense', 'product', 'opportunity'));

CREATE FUNCTION crm_seed_opportunity_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES (t, 'opportunity', 'SJ{YYYY}{MM}{SEQ:4}') ON CONFLICT DO NOTHING;
  WITH p AS (
    INSERT INTO pipelines (tenant_id, name, is_default, sort)
    SELECT t, '标准销售流程', true, 10 WHERE NOT EXISTS (SELECT 1 FROM pipelines WHERE tenant_id = t)
    RETURNING id
  )
  INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, kind, win_rate, sort)
  SELECT t, p.id, s.name, s.kind, s.win_rate, s.sort FROM p, (VALUES
    ('初步接洽', 'open', 10, 10), ('需求确认', 'open', 30, 20), ('方案报价', 'open', 50, 30), ('谈判审核', 'open', 70, 40),
    ('赢单', 'won', 100, 1000), ('输单', 'lost', 0, 1001)
  ) AS s(name, kind, win_rate, sort);
  INSERT INTO opportunity_lost_reasons (tenant_id, name, sort)
  SELECT t, r.name, r.sort FROM (VALUES ('价格因素', 10), ('竞争对手', 20), ('需求变化', 30), ('预算不足', 40), ('其他', 50)) AS r(name, sort)
  WHERE NOT EXISTS (SELECT 1 FROM opportunity_lost_reasons WHERE tenant_id = t);
$$;
SELECT crm_seed_opportunity_settings(id) FROM tenants;
