-- Contracts (SAL-6), payment plans (SAL-7) and receivables (SAL-8).
-- A contract takes effect through approval (status); its execution is tracked
-- apart. Plans split what the customer owes into instalments; receivables are
-- the money received, approved before they count as paid.

UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('contract', data_scopes -> 'customer')
WHERE code IS NOT NULL AND data_scopes ? 'customer' AND code <> 'marketing';
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['contract.view', 'contract.create', 'contract.edit', 'contract.delete', 'contract.transfer', 'receivable.view', 'receivable.create']),
  ('sales_director', ARRAY['contract.view', 'contract.create', 'contract.edit', 'contract.delete', 'contract.transfer', 'receivable.view', 'receivable.create']),
  ('sales_manager', ARRAY['contract.view', 'contract.create', 'contract.edit', 'contract.transfer', 'receivable.view', 'receivable.create']),
  ('sales_rep', ARRAY['contract.view', 'contract.create', 'contract.edit', 'receivable.view', 'receivable.create']),
  ('finance', ARRAY['contract.view', 'receivable.view', 'receivable.create'])
) AS extra(code, p)
WHERE r.code = extra.code;

CREATE TABLE contract_templates (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  -- the contract text with {{placeholders}} (see contracts.service renderTemplate)
  body text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX contract_templates_name ON contract_templates (tenant_id, name);
SELECT crm_tenant_table('contract_templates');

CREATE TABLE contracts (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  name text NOT NULL,
  customer_id bigint NOT NULL,
  opportunity_id bigint,
  owner_id bigint NOT NULL,
  department_id bigint,
  -- who signs for the company, and for the customer
  signer_id bigint,
  customer_signer text,
  signed_on date,
  starts_on date,
  ends_on date,
  currency char(3) NOT NULL,
  -- after line and whole-contract discounts, with tax; amount_company: in the company currency at signing
  amount numeric(15, 2) NOT NULL CHECK (amount >= 0),
  amount_company numeric(15, 2) NOT NULL,
  discount numeric(5, 2) NOT NULL DEFAULT 0,
  tax_rate numeric(5, 2) NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending', 'active', 'rejected', 'withdrawn')),
  execution text NOT NULL DEFAULT 'not_started' CHECK (execution IN ('not_started', 'executing', 'completed', 'terminated')),
  effective_at timestamptz,
  template_id bigint,
  body text,
  remind_days int NOT NULL DEFAULT 30 CHECK (remind_days BETWEEN 0 AND 365),
  -- the end date last reminded about: once per end date, however often the job runs
  expiry_reminded_for date,
  description text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, signer_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, template_id) REFERENCES contract_templates(tenant_id, id)
);
CREATE UNIQUE INDEX contracts_code ON contracts (tenant_id, code);
CREATE INDEX contracts_owner_updated ON contracts (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX contracts_updated ON contracts (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX contracts_customer ON contracts (tenant_id, customer_id) WHERE deleted_at IS NULL;
CREATE INDEX contracts_expiring ON contracts (tenant_id, ends_on) WHERE deleted_at IS NULL AND status = 'active' AND execution IN ('not_started', 'executing');
CREATE INDEX contracts_effective ON contracts (tenant_id, effective_at) WHERE deleted_at IS NULL AND status = 'active';
SELECT crm_tenant_table('contracts');

CREATE TABLE contract_lines (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL,
  position int NOT NULL,
  product_id bigint NOT NULL,
  name text NOT NULL,
  unit text NOT NULL,
  quantity numeric(13, 3) NOT NULL CHECK (quantity > 0),
  price numeric(15, 2) NOT NULL CHECK (price >= 0),
  discount numeric(5, 2) NOT NULL DEFAULT 0,
  amount numeric(15, 2) NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX contract_lines_contract ON contract_lines (tenant_id, contract_id, position);
SELECT crm_tenant_table('contract_lines');

-- E-signature records: who signed, when, through what, and the hash of the signed file (append-only).
CREATE TABLE contract_signatures (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL,
  signer_name text NOT NULL,
  signer_side text NOT NULL CHECK (signer_side IN ('company', 'customer')),
  provider text NOT NULL,
  signed_at timestamptz NOT NULL,
  attachment_id bigint,
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  recorded_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts(tenant_id, id)
);
CREATE INDEX contract_signatures_contract ON contract_signatures (tenant_id, contract_id, signed_at);
CREATE TRIGGER contract_signatures_append_only BEFORE UPDATE OR DELETE ON contract_signatures FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();
SELECT crm_tenant_table('contract_signatures', 'SELECT, INSERT');

CREATE TABLE payment_plans (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  contract_id bigint NOT NULL,
  seq int NOT NULL,
  due_on date NOT NULL,
  amount numeric(15, 2) NOT NULL CHECK (amount > 0),
  method text NOT NULL DEFAULT 'bank_transfer',
  remind_days int NOT NULL DEFAULT 3 CHECK (remind_days BETWEEN 0 AND 90),
  -- the due date last reminded about, and the last overdue (催收) reminder
  reminded_for date,
  dunned_on date,
  note text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts(tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX payment_plans_seq ON payment_plans (tenant_id, contract_id, seq);
CREATE INDEX payment_plans_due ON payment_plans (tenant_id, due_on);
SELECT crm_tenant_table('payment_plans');

CREATE TABLE receivables (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  contract_id bigint NOT NULL,
  plan_id bigint,
  customer_id bigint NOT NULL,
  owner_id bigint NOT NULL,
  amount numeric(15, 2) NOT NULL CHECK (amount > 0),
  amount_company numeric(15, 2) NOT NULL,
  received_on date NOT NULL,
  method text NOT NULL DEFAULT 'bank_transfer',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'withdrawn')),
  approved_at timestamptz,
  -- invoice (发票) details
  invoice_type text CHECK (invoice_type IN ('vat_special', 'vat_normal', 'receipt')),
  invoice_no text,
  invoice_title text,
  invoice_tax_no text,
  invoice_amount numeric(15, 2),
  invoiced_on date,
  note text,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts(tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES payment_plans(tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id)
);
CREATE UNIQUE INDEX receivables_code ON receivables (tenant_id, code);
CREATE INDEX receivables_contract ON receivables (tenant_id, contract_id) WHERE deleted_at IS NULL;
CREATE INDEX receivables_owner_updated ON receivables (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX receivables_updated ON receivables (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX receivables_approved ON receivables (tenant_id, approved_at) WHERE deleted_at IS NULL AND status = 'approved';
SELECT crm_tenant_table('receivables');

-- Contracts carry attachments (scans, signed files): the list of 0018 plus contract.
ALTER TABLE attachments DROP CONSTRAINT attachments_entity_type_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_entity_type_check
  CHECK (entity_type IN ('customer', 'contact', 'lead', 'followup', 'expense', 'product', 'opportunity', 'contract'));

CREATE FUNCTION crm_seed_contract_settings(t bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES
    (t, 'contract', 'HT{YYYY}{MM}{SEQ:4}'), (t, 'receivable', 'HK{YYYY}{MM}{SEQ:4}')
  ON CONFLICT DO NOTHING;
  INSERT INTO contract_templates (tenant_id, name, body) VALUES (t, '标准销售合同',
    E'合同编号：{{code}}\n甲方（买方）：{{customer}}\n乙方（卖方）：{{company}}\n\n一、合同标的\n{{lines}}\n\n二、合同金额\n合同总金额为 {{currency}} {{amount}}（大写：{{amountInWords}}），含税率 {{taxRate}}% 的增值税。\n\n三、合同期限\n自 {{startsOn}} 起至 {{endsOn}} 止。\n\n四、付款方式\n按双方约定的回款计划分期支付。\n\n甲方签字：{{customerSigner}}        乙方签字：{{signer}}\n签订日期：{{signedOn}}')
  ON CONFLICT DO NOTHING;
$$;
SELECT crm_seed_contract_settings(id) FROM tenants;
