-- Envelope templates (信封打印, CUS-17) and automatic level rules from the RFM score (CUS-19).

-- A template is a paper size in millimetres and where each block of the classic
-- Chinese envelope goes (mm from the top-left corner): the recipient's six
-- postcode boxes, address, company, name and title, and the sender block.
CREATE TABLE envelope_templates (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  paper text NOT NULL CHECK (paper IN ('dl', 'c5', 'cn5', 'custom')),
  width_mm numeric(5, 1) NOT NULL CHECK (width_mm BETWEEN 50 AND 500),
  height_mm numeric(5, 1) NOT NULL CHECK (height_mm BETWEEN 50 AND 500),
  layout jsonb NOT NULL,
  font_size smallint NOT NULL DEFAULT 14 CHECK (font_size BETWEEN 6 AND 40),
  sender_company text,
  sender_address text,
  sender_postcode text,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX envelope_templates_name ON envelope_templates (tenant_id, name);
CREATE UNIQUE INDEX envelope_templates_one_default ON envelope_templates (tenant_id) WHERE is_default;
SELECT crm_tenant_table('envelope_templates');

CREATE FUNCTION crm_seed_print_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO envelope_templates (tenant_id, name, paper, width_mm, height_mm, layout, sender_company, is_default)
  SELECT t, '国内5号信封', 'cn5', 220, 110,
    '{"postcode": {"x": 12, "y": 10}, "address": {"x": 20, "y": 32}, "company": {"x": 20, "y": 44},
      "recipient": {"x": 60, "y": 60}, "sender": {"x": 120, "y": 82}}'::jsonb,
    tn.name, true
  FROM tenants tn WHERE tn.id = t
  ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_print_settings(id) FROM tenants;

-- Rules that set a customer's level from its RFM scores: the first enabled rule
-- (by priority) whose conditions all hold wins; NULL conditions always hold.
CREATE TABLE customer_level_rules (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  level_code text NOT NULL,
  min_score smallint CHECK (min_score BETWEEN 3 AND 15),
  max_score smallint CHECK (max_score BETWEEN 3 AND 15),
  min_r smallint CHECK (min_r BETWEEN 1 AND 5),
  min_f smallint CHECK (min_f BETWEEN 1 AND 5),
  min_m smallint CHECK (min_m BETWEEN 1 AND 5),
  priority integer NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (min_score IS NULL OR max_score IS NULL OR min_score <= max_score)
);
SELECT crm_tenant_table('customer_level_rules');
