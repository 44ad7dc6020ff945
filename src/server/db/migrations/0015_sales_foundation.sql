-- Sales foundation (issue 4): what the product, opportunity, quote, contract and
-- approval modules share. Money is numeric(15,2) with its currency beside it
-- and a copy in the company currency for reports (SAL-11); never float.

-- Default roles get the sales permissions; opportunities follow each role's customer scope.
UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('opportunity', data_scopes -> 'customer')
WHERE code IS NOT NULL AND data_scopes ? 'customer' AND code <> 'marketing';
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['product.view', 'product.manage', 'product.stock', 'opportunity.view', 'opportunity.create', 'opportunity.edit', 'opportunity.delete',
                  'opportunity.transfer', 'opportunity.share', 'approval.submit', 'approval.view_all', 'approval.manage', 'settings.sales']),
  ('sales_director', ARRAY['product.view', 'opportunity.view', 'opportunity.create', 'opportunity.edit', 'opportunity.share', 'opportunity.transfer',
                           'opportunity.delete', 'approval.submit']),
  ('sales_manager', ARRAY['product.view', 'opportunity.view', 'opportunity.create', 'opportunity.edit', 'opportunity.share', 'opportunity.transfer',
                          'opportunity.delete', 'approval.submit']),
  ('sales_rep', ARRAY['product.view', 'opportunity.view', 'opportunity.create', 'opportunity.edit', 'opportunity.share', 'approval.submit']),
  ('finance', ARRAY['product.view', 'opportunity.view', 'approval.submit', 'approval.view_all'])
) AS extra(code, p)
WHERE r.code = extra.code;

-- Currencies a company deals in; exactly one is the company currency (本位币).
CREATE TABLE currencies (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  code char(3) NOT NULL CHECK (code ~ '^[A-Z]{3}$'),
  name text NOT NULL,
  is_company boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  sort int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, code)
);
CREATE UNIQUE INDEX currencies_one_company ON currencies (tenant_id) WHERE is_company;
SELECT crm_tenant_table('currencies');

-- Dated rates: one unit of `currency` is worth `rate` units of the company currency from `valid_from` on.
CREATE TABLE exchange_rates (
  tenant_id bigint NOT NULL,
  currency char(3) NOT NULL,
  valid_from date NOT NULL,
  rate numeric(18, 8) NOT NULL CHECK (rate > 0),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, currency, valid_from),
  FOREIGN KEY (tenant_id, currency) REFERENCES currencies(tenant_id, code) ON DELETE CASCADE
);
SELECT crm_tenant_table('exchange_rates');

-- Product categories: a tree (SAL-4).
CREATE TABLE product_categories (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  parent_id bigint,
  name text NOT NULL,
  sort int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES product_categories(tenant_id, id)
);
CREATE UNIQUE INDEX product_categories_name ON product_categories (tenant_id, coalesce(parent_id, 0), name);
SELECT crm_tenant_table('product_categories');

-- The catalogue. Only products on the shelf can be added to new opportunities, quotes and contracts.
CREATE TABLE products (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  name text NOT NULL,
  category_id bigint,
  unit text NOT NULL DEFAULT '个',
  price numeric(15, 2) NOT NULL CHECK (price >= 0),
  cost numeric(15, 2) CHECK (cost >= 0),
  currency char(3) NOT NULL DEFAULT 'CNY',
  on_shelf boolean NOT NULL DEFAULT true,
  description text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES product_categories(tenant_id, id)
);
CREATE UNIQUE INDEX products_code ON products (tenant_id, lower(code)) WHERE deleted_at IS NULL;
CREATE INDEX products_category ON products (tenant_id, category_id, name) WHERE deleted_at IS NULL;
CREATE INDEX products_list ON products (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
SELECT crm_tenant_table('products');

CREATE FUNCTION crm_seed_sales_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO currencies (tenant_id, code, name, is_company, sort) VALUES
    (t, 'CNY', '人民币', true, 10), (t, 'USD', '美元', false, 20), (t, 'EUR', '欧元', false, 30), (t, 'HKD', '港币', false, 40)
  ON CONFLICT DO NOTHING;
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES (t, 'product', 'CP{SEQ:6}') ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_sales_settings(id) FROM tenants;
