-- Quotes (报价单, SAL-5). Quotes have their own data scope, like opportunities.

UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('quote', data_scopes -> 'opportunity')
WHERE code IS NOT NULL AND data_scopes ? 'opportunity';
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_director', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_manager', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_rep', ARRAY['quote.view', 'quote.create', 'quote.edit']),
  ('finance', ARRAY['quote.view'])
) AS extra(code, p)
WHERE r.code = extra.code;

-- (tables follow)

-- A quote goes draft → (pending → approved, when its discount is beyond the
-- submitter's limit) → sent → accepted / rejected (the customer's answer).
-- A new version is a copy under the same code with version + 1; the versions
-- of one quote share root_id (the first version's id, NULL on the first one),
-- and all but the latest carry superseded_at and are read-only.
CREATE TABLE quotes (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  version int NOT NULL DEFAULT 1 CHECK (version >= 1),
  root_id bigint,
  name text NOT NULL,
  customer_id bigint NOT NULL,
  opportunity_id bigint,
  contact_id bigint,
  owner_id bigint NOT NULL,
  department_id bigint,
  currency char(3) NOT NULL,
  discount numeric(5, 2) NOT NULL DEFAULT 0,
  tax_rate numeric(5, 2) NOT NULL DEFAULT 0,
  -- total after line and whole-quote discounts, with tax; amount_company: in the company currency
  amount numeric(15, 2) NOT NULL CHECK (amount >= 0),
  amount_company numeric(15, 2) NOT NULL,
  -- the lines at the products' list prices, and how many percent below it the quote is before tax
  list_total numeric(15, 2) NOT NULL DEFAULT 0,
  effective_discount numeric(5, 2) NOT NULL DEFAULT 0,
  valid_until date,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending', 'approved', 'sent', 'accepted', 'rejected')),
  superseded_at timestamptz,
  sent_at timestamptz,
  answered_at timestamptz,
  contract_id bigint,
  terms text,
  notes text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities(tenant_id, id) ON DELETE SET NULL (opportunity_id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id) ON DELETE SET NULL (contact_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, root_id) REFERENCES quotes(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts(tenant_id, id)
);
CREATE UNIQUE INDEX quotes_code_version ON quotes (tenant_id, code, version);
-- lists show the latest versions: keyset on (updated_at, id), by owner or for everyone in scope
CREATE INDEX quotes_owner_updated ON quotes (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL AND superseded_at IS NULL;
CREATE INDEX quotes_updated ON quotes (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL AND superseded_at IS NULL;
CREATE INDEX quotes_customer ON quotes (tenant_id, customer_id) WHERE deleted_at IS NULL;
CREATE INDEX quotes_opportunity ON quotes (tenant_id, opportunity_id) WHERE deleted_at IS NULL AND opportunity_id IS NOT NULL;
CREATE INDEX quotes_root ON quotes (tenant_id, root_id) WHERE root_id IS NOT NULL;
SELECT crm_tenant_table('quotes');

CREATE TABLE quote_lines (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  quote_id bigint NOT NULL,
  position int NOT NULL,
  product_id bigint NOT NULL,
  name text NOT NULL,
  unit text NOT NULL,
  quantity numeric(13, 3) NOT NULL CHECK (quantity > 0),
  price numeric(15, 2) NOT NULL CHECK (price >= 0),
  -- the product's list price when the line was made: what the effective discount is measured against
  list_price numeric(15, 2) NOT NULL CHECK (list_price >= 0),
  discount numeric(5, 2) NOT NULL DEFAULT 0,
  amount numeric(15, 2) NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX quote_lines_quote ON quote_lines (tenant_id, quote_id, position);
SELECT crm_tenant_table('quote_lines');

CREATE FUNCTION crm_seed_quote_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES (t, 'quote', 'BJ{YYYY}{MM}{SEQ:4}') ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_quote_settings(id) FROM tenants;
