-- Leads (LEA-1..6): capture (manual and a public web form), lifecycle, assignment
-- rules, rule-based score, conversion into customer + contact.

CREATE TABLE leads (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  name text NOT NULL,
  company text,
  title text,
  mobile text,
  phone text,
  email text,
  wechat text,
  source_code text,
  industry_code text,
  province_code text,
  city_code text,
  district_code text,
  address text,
  remark text,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'qualifying', 'converted', 'invalid')),
  invalid_reason text,
  score integer NOT NULL DEFAULT 0,
  -- NULL: not assigned yet (the lead pool)
  owner_id bigint,
  department_id bigint,
  form_id bigint,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by bigint,
  converted_at timestamptz,
  converted_customer_id bigint,
  converted_contact_id bigint,
  last_followup_at timestamptz,
  next_followup_at timestamptz,
  pinyin_full text,
  pinyin_initials text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments(tenant_id, id),
  FOREIGN KEY (tenant_id, converted_customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, converted_contact_id) REFERENCES contacts(tenant_id, id)
);
CREATE UNIQUE INDEX leads_code ON leads (tenant_id, code);
CREATE INDEX leads_updated ON leads (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_owner_updated ON leads (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_unassigned ON leads (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL AND owner_id IS NULL;
CREATE INDEX leads_name_bigrams ON leads USING gin (crm_bigrams(name)) WHERE deleted_at IS NULL;
CREATE INDEX leads_company_bigrams ON leads USING gin (crm_bigrams(company)) WHERE deleted_at IS NULL;
CREATE INDEX leads_mobile ON leads (tenant_id, mobile text_pattern_ops) WHERE deleted_at IS NULL;
SELECT crm_tenant_table('leads');

-- Assignment rules, tried in priority order: the first whose conditions all hold
-- picks an owner among its users, in turn (round robin) or the one with the fewest
-- open leads (least loaded).
CREATE TABLE lead_assignment_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  source_code text,
  industry_code text,
  province_code text,
  method text NOT NULL CHECK (method IN ('round_robin', 'least_loaded')),
  user_ids bigint[] NOT NULL CHECK (cardinality(user_ids) > 0),
  turn integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id)
);
SELECT crm_tenant_table('lead_assignment_rules');

-- Score rules: points when a field has a value (or any value: value NULL).
CREATE TABLE lead_score_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  field text NOT NULL CHECK (field IN ('source_code', 'industry_code', 'province_code', 'mobile', 'email', 'company', 'followups')),
  value text,
  points integer NOT NULL CHECK (points BETWEEN -1000 AND 1000),
  PRIMARY KEY (tenant_id, id)
);
SELECT crm_tenant_table('lead_score_rules');

-- Public web forms: anyone with the form's token may submit a lead.
CREATE TABLE lead_forms (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  token text NOT NULL UNIQUE,
  name text NOT NULL,
  source_code text,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT crm_tenant_table('lead_forms');

-- a lead's follow-ups; after conversion they also carry the customer and contact
ALTER TABLE followups ADD COLUMN lead_id bigint;
ALTER TABLE followups ADD FOREIGN KEY (tenant_id, lead_id) REFERENCES leads(tenant_id, id);
CREATE INDEX followups_contact ON followups (tenant_id, contact_id, created_at DESC, id DESC) WHERE deleted_at IS NULL AND contact_id IS NOT NULL;
CREATE INDEX followups_lead ON followups (tenant_id, lead_id, created_at DESC, id DESC) WHERE deleted_at IS NULL AND lead_id IS NOT NULL;

CREATE FUNCTION crm_seed_lead_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES (t, 'lead', 'XS{YYYY}{MM}{SEQ:5}') ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_lead_settings(id) FROM tenants;

-- Data scopes for leads: what each default role has for customers.
UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('lead', data_scopes -> 'customer') WHERE code IS NOT NULL AND data_scopes ? 'customer';
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['lead.view', 'lead.create', 'lead.edit', 'lead.delete', 'lead.transfer', 'lead.convert', 'lead.manage']),
  ('sales_director', ARRAY['lead.view', 'lead.create', 'lead.edit', 'lead.delete', 'lead.transfer', 'lead.convert']),
  ('sales_manager', ARRAY['lead.view', 'lead.create', 'lead.edit', 'lead.transfer', 'lead.convert']),
  ('sales_rep', ARRAY['lead.view', 'lead.create', 'lead.edit', 'lead.convert']),
  ('marketing', ARRAY['lead.view', 'lead.create', 'lead.edit'])
) AS extra(code, p)
WHERE r.code = extra.code;
