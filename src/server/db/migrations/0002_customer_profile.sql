-- Customer management, part 1: dictionaries (SYS-2), auto-numbering (CUS-13), the full
-- customer profile (CUS-1, CUS-4), addresses (CUS-3), contacts (CUS-2) and
-- follow-ups with comments and templates (CUS-6).

-- Dictionaries: industry (a tree), customer source, level and status, follow-up type,
-- contact role. `code` is what records store; `label` is what people read and may
-- be renamed. For statuses, `next_codes` lists the statuses a record may move to
-- (NULL: any).
CREATE TABLE dictionary_items (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL CHECK (kind IN ('industry', 'customer_source', 'customer_level', 'customer_status', 'followup_type', 'contact_role')),
  code text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
  label text NOT NULL,
  parent_code text,
  sort int NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  next_codes text[],
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, kind, code),
  FOREIGN KEY (tenant_id, kind, parent_code) REFERENCES dictionary_items(tenant_id, kind, code)
);
SELECT crm_tenant_table('dictionary_items');

-- Numbering patterns per entity, e.g. 'KH{YYYY}{MM}{DD}{SEQ:4}'; the counter restarts
-- for each distinct date part of the pattern (period_key).
CREATE TABLE numbering_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  entity_type text NOT NULL,
  pattern text NOT NULL,
  PRIMARY KEY (tenant_id, entity_type)
);
SELECT crm_tenant_table('numbering_rules');

CREATE TABLE numbering_counters (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  entity_type text NOT NULL,
  period_key text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (tenant_id, entity_type, period_key)
);
SELECT crm_tenant_table('numbering_counters');

-- The defaults every company starts with; also used by tenant creation.
CREATE FUNCTION crm_seed_customer_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dictionary_items (tenant_id, kind, code, label, parent_code, sort, next_codes)
  SELECT t, d.kind, d.code, d.label, d.parent_code, d.sort, d.next_codes
  FROM (VALUES
    ('industry', 'it', 'IT/互联网', NULL, 10, NULL::text[]),
    ('industry', 'software', '软件开发', 'it', 11, NULL),
    ('industry', 'internet', '互联网服务', 'it', 12, NULL),
    ('industry', 'manufacturing', '制造业', NULL, 20, NULL),
    ('industry', 'machinery', '机械设备', 'manufacturing', 21, NULL),
    ('industry', 'electronics', '电子电器', 'manufacturing', 22, NULL),
    ('industry', 'trade', '批发零售', NULL, 30, NULL),
    ('industry', 'finance', '金融', NULL, 40, NULL),
    ('industry', 'education', '教育培训', NULL, 50, NULL),
    ('industry', 'healthcare', '医疗健康', NULL, 60, NULL),
    ('industry', 'construction', '建筑地产', NULL, 70, NULL),
    ('industry', 'logistics', '交通物流', NULL, 80, NULL),
    ('industry', 'government', '政府/事业单位', NULL, 90, NULL),
    ('industry', 'other', '其他', NULL, 100, NULL),
    ('customer_source', 'referral', '客户介绍', NULL, 10, NULL),
    ('customer_source', 'website', '官网', NULL, 20, NULL),
    ('customer_source', 'exhibition', '展会', NULL, 30, NULL),
    ('customer_source', 'cold_call', '电话开拓', NULL, 40, NULL),
    ('customer_source', 'advertising', '广告投放', NULL, 50, NULL),
    ('customer_source', 'partner', '合作伙伴', NULL, 60, NULL),
    ('customer_source', 'other', '其他', NULL, 100, NULL),
    ('customer_level', 'a', 'A（重点）', NULL, 10, NULL),
    ('customer_level', 'b', 'B（普通）', NULL, 20, NULL),
    ('customer_level', 'c', 'C（一般）', NULL, 30, NULL),
    ('customer_level', 'd', 'D（低价值）', NULL, 40, NULL),
    ('customer_status', 'new', '新建', NULL, 10, ARRAY['following', 'paused', 'lost']),
    ('customer_status', 'following', '跟进中', NULL, 20, ARRAY['won', 'paused', 'lost']),
    ('customer_status', 'won', '已成交', NULL, 30, ARRAY['following', 'paused']),
    ('customer_status', 'paused', '暂停', NULL, 40, ARRAY['following', 'lost']),
    ('customer_status', 'lost', '已流失', NULL, 50, ARRAY['following']),
    ('followup_type', 'phone', '电话', NULL, 10, NULL),
    ('followup_type', 'visit', '拜访', NULL, 20, NULL),
    ('followup_type', 'email', '邮件', NULL, 30, NULL),
    ('followup_type', 'wechat', '微信', NULL, 40, NULL),
    ('followup_type', 'sms', '短信', NULL, 50, NULL),
    ('contact_role', 'decision_maker', '决策人', NULL, 10, NULL),
    ('contact_role', 'influencer', '影响人', NULL, 20, NULL),
    ('contact_role', 'user', '使用人', NULL, 30, NULL),
    ('contact_role', 'finance', '财务', NULL, 40, NULL),
    ('contact_role', 'purchasing', '采购', NULL, 50, NULL),
    ('contact_role', 'other', '其他', NULL, 100, NULL)
  ) AS d(kind, code, label, parent_code, sort, next_codes)
  ORDER BY d.parent_code NULLS FIRST
  ON CONFLICT DO NOTHING;
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern)
  VALUES (t, 'customer', 'KH{YYYY}{MM}{DD}{SEQ:4}'), (t, 'contact', 'LXR{YYYY}{SEQ:6}')
  ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_customer_settings(id) FROM tenants;

-- Text normalised for matching: trimmed, lower case, no spaces, full-width brackets.
CREATE FUNCTION crm_match_key(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(translate(regexp_replace(s, '\s+', '', 'g'), '()', '（）')) $$;

ALTER TABLE customers
  ADD COLUMN code text,
  ADD COLUMN kind text NOT NULL DEFAULT 'enterprise' CHECK (kind IN ('enterprise', 'personal', 'dealer', 'supplier')),
  ADD COLUMN industry_code text,
  ADD COLUMN source_code text,
  ADD COLUMN level_code text,
  ADD COLUMN status_code text NOT NULL DEFAULT 'new',
  ADD COLUMN employee_count integer CHECK (employee_count >= 0),
  ADD COLUMN annual_revenue numeric(18, 2) CHECK (annual_revenue >= 0),
  ADD COLUMN province_code text,
  ADD COLUMN city_code text,
  ADD COLUMN district_code text,
  ADD COLUMN phone text,
  ADD COLUMN email text,
  ADD COLUMN website text,
  ADD COLUMN credit_code text,
  ADD COLUMN remark text,
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN locked boolean NOT NULL DEFAULT false,
  ADD COLUMN last_followup_at timestamptz,
  ADD COLUMN next_followup_at timestamptz;
UPDATE customers SET code = 'KH' || lpad(id::text, 8, '0') WHERE code IS NULL;
ALTER TABLE customers ALTER COLUMN code SET NOT NULL;
CREATE UNIQUE INDEX customers_code ON customers (tenant_id, code);
CREATE INDEX customers_name_key ON customers (tenant_id, crm_match_key(name)) WHERE deleted_at IS NULL;
CREATE INDEX customers_credit_code ON customers (tenant_id, credit_code) WHERE deleted_at IS NULL AND credit_code IS NOT NULL;
CREATE INDEX customers_tags ON customers USING gin (tags) WHERE deleted_at IS NULL;

CREATE TABLE customer_addresses (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  customer_id bigint NOT NULL,
  tag text NOT NULL CHECK (tag IN ('registered', 'office', 'invoice', 'shipping', 'other')),
  province_code text,
  city_code text,
  district_code text,
  detail text,
  postcode text,
  is_default boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);
CREATE INDEX customer_addresses_customer ON customer_addresses (tenant_id, customer_id);
SELECT crm_tenant_table('customer_addresses');

-- Contacts belong to one customer at a time; contact_links keeps every customer
-- they were linked to (a job change keeps the person and their history).
CREATE TABLE contacts (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  customer_id bigint NOT NULL,
  name text NOT NULL,
  title text,
  role_code text,
  is_primary boolean NOT NULL DEFAULT false,
  lifecycle text NOT NULL DEFAULT 'new' CHECK (lifecycle IN ('new', 'active', 'inactive', 'invalid')),
  gender text CHECK (gender IN ('male', 'female')),
  mobile text,
  phone text,
  email text,
  wechat text,
  birthday date,
  remark text,
  tags text[] NOT NULL DEFAULT '{}',
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by bigint,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
CREATE UNIQUE INDEX contacts_code ON contacts (tenant_id, code);
CREATE INDEX contacts_customer ON contacts (tenant_id, customer_id, is_primary DESC, id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX contacts_one_primary ON contacts (tenant_id, customer_id) WHERE is_primary AND deleted_at IS NULL;
CREATE INDEX contacts_updated ON contacts (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX contacts_mobile ON contacts (tenant_id, mobile) WHERE deleted_at IS NULL AND mobile IS NOT NULL;
SELECT crm_tenant_table('contacts');

CREATE TABLE contact_links (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  contact_id bigint NOT NULL,
  customer_id bigint NOT NULL,
  title text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  PRIMARY KEY (tenant_id, contact_id, started_at),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);
CREATE INDEX contact_links_customer ON contact_links (tenant_id, customer_id);
SELECT crm_tenant_table('contact_links');

-- Follow-up records (跟进记录) on a customer, a contact or (later) a lead. customer_id
-- is set for follow-ups on a customer or on one of its contacts, so the customer's
-- timeline is one index range.
CREATE TABLE followups (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  entity_id bigint NOT NULL,
  customer_id bigint,
  contact_id bigint,
  type_code text NOT NULL,
  content text NOT NULL,
  next_contact_at timestamptz,
  next_contact_done boolean NOT NULL DEFAULT false,
  created_by bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX followups_customer ON followups (tenant_id, customer_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX followups_entity ON followups (tenant_id, entity_type, entity_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX followups_upcoming ON followups (tenant_id, created_by, next_contact_at)
  WHERE deleted_at IS NULL AND next_contact_at IS NOT NULL AND NOT next_contact_done;
SELECT crm_tenant_table('followups');

-- Comments on a follow-up (点评), typically by a manager.
CREATE TABLE followup_comments (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  followup_id bigint NOT NULL,
  author_id bigint NOT NULL,
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, followup_id) REFERENCES followups(tenant_id, id),
  FOREIGN KEY (tenant_id, author_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX followup_comments_followup ON followup_comments (tenant_id, followup_id, created_at);
SELECT crm_tenant_table('followup_comments');

-- Reusable follow-up texts: the author's own, or shared with everyone.
CREATE TABLE followup_templates (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  type_code text,
  content text NOT NULL,
  owner_id bigint NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id)
);
SELECT crm_tenant_table('followup_templates');

-- The default roles of existing companies get this part's new permissions (new
-- companies get them from default-roles.ts).
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['customer.lock', 'contact.view', 'contact.create', 'contact.edit', 'contact.delete', 'followup.create', 'followup.comment', 'settings.dictionary']),
  ('sales_director', ARRAY['customer.lock', 'contact.view', 'contact.create', 'contact.edit', 'contact.delete', 'followup.create', 'followup.comment']),
  ('sales_manager', ARRAY['customer.lock', 'contact.view', 'contact.create', 'contact.edit', 'contact.delete', 'followup.create', 'followup.comment']),
  ('sales_rep', ARRAY['contact.view', 'contact.create', 'contact.edit', 'followup.create']),
  ('service_agent', ARRAY['contact.view', 'followup.create']),
  ('marketing', ARRAY['contact.view']),
  ('finance', ARRAY['contact.view'])
) AS extra(code, p)
WHERE r.code = extra.code;
