-- Public pool (公海, CUS-9..11), customer ownership history, protection, and the
-- notification area.

-- Who owns a customer since when, and how they got it: the pool rules measure
-- "not followed up / not won for N days" from here.
ALTER TABLE customers
  ADD COLUMN owner_since timestamptz,
  ADD COLUMN acquired_via text NOT NULL DEFAULT 'create' CHECK (acquired_via IN ('create', 'transfer', 'claim', 'assign', 'import', 'convert')),
  ADD COLUMN pool_id bigint,
  ADD COLUMN pooled_at timestamptz,
  ADD COLUMN protected_until timestamptz;
UPDATE customers SET owner_since = created_at WHERE owner_id IS NOT NULL;

CREATE TABLE pools (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- limits; NULL = none
  max_owned integer CHECK (max_owned > 0),
  max_claims_per_day integer CHECK (max_claims_per_day > 0),
  reclaim_delay_days integer CHECK (reclaim_delay_days > 0),
  reminder_days integer CHECK (reminder_days > 0),
  protection_limit integer CHECK (protection_limit > 0),
  protection_days integer CHECK (protection_days > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX pools_name ON pools (tenant_id, name);
SELECT crm_tenant_table('pools');

ALTER TABLE customers ADD FOREIGN KEY (tenant_id, pool_id) REFERENCES pools(tenant_id, id);
-- the pool's customers, newest in the pool first
CREATE INDEX customers_pool ON customers (tenant_id, pool_id, pooled_at DESC, id DESC) WHERE deleted_at IS NULL AND owner_id IS NULL;

-- Members may see and claim the pool's customers, and their own customers return
-- to it under its rules; administrators also assign. A department includes its
-- sub-departments.
CREATE TABLE pool_members (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  pool_id bigint NOT NULL,
  member_type text NOT NULL CHECK (member_type IN ('user', 'department')),
  member_id bigint NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, pool_id, member_type, member_id),
  FOREIGN KEY (tenant_id, pool_id) REFERENCES pools(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX pool_members_member ON pool_members (tenant_id, member_type, member_id);
SELECT crm_tenant_table('pool_members');

-- Recycling rules: a customer returns to the pool when the rule's condition has
-- held for `days`; a row with a level applies to customers of that level, the row
-- without one to the other levels.
CREATE TABLE pool_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  pool_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('no_followup', 'no_deal', 'never_contacted')),
  level_code text,
  days integer NOT NULL CHECK (days > 0),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, pool_id) REFERENCES pools(tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX pool_rules_unique ON pool_rules (tenant_id, pool_id, kind, coalesce(level_code, ''));
SELECT crm_tenant_table('pool_rules');

-- Every period a user owned a customer: claims per day and the re-claim delay
-- are counted here.
CREATE TABLE customer_owners (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  customer_id bigint NOT NULL,
  user_id bigint NOT NULL,
  started_at timestamptz NOT NULL,
  acquired_via text NOT NULL,
  ended_at timestamptz,
  ended_by text,
  PRIMARY KEY (tenant_id, customer_id, started_at),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX customer_owners_user ON customer_owners (tenant_id, user_id, started_at DESC);
SELECT crm_tenant_table('customer_owners');
INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via)
SELECT tenant_id, id, owner_id, owner_since, acquired_via FROM customers WHERE owner_id IS NOT NULL;

-- Applications for a pool customer (申请), decided by a pool administrator (批示).
CREATE TABLE pool_applications (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  pool_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  applicant_id bigint NOT NULL,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  decided_by bigint,
  decided_at timestamptz,
  decision_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, pool_id) REFERENCES pools(tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, applicant_id) REFERENCES users(tenant_id, id)
);
CREATE UNIQUE INDEX pool_applications_pending ON pool_applications (tenant_id, customer_id, applicant_id) WHERE status = 'pending';
CREATE INDEX pool_applications_pool ON pool_applications (tenant_id, pool_id, status, created_at DESC);
SELECT crm_tenant_table('pool_applications');

-- The notification area: reminders and events for one user. `dedupe_key` lets a
-- scheduled job run again without notifying twice.
CREATE TABLE notifications (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  body text,
  entity_type text,
  entity_id bigint,
  dedupe_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (tenant_id, user_id, kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
SELECT crm_tenant_table('notifications');

UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['pool.view', 'pool.claim', 'pool.manage', 'customer.protect']),
  ('sales_director', ARRAY['pool.view', 'pool.claim', 'customer.protect']),
  ('sales_manager', ARRAY['pool.view', 'pool.claim', 'customer.protect']),
  ('sales_rep', ARRAY['pool.view', 'pool.claim', 'customer.protect'])
) AS extra(code, p)
WHERE r.code = extra.code;
