-- Approvals (COL-3): templates per business type, instances with their tasks and
-- history; expense claims (报销) as the first business type.

-- The head (负责人) of a department: approver kind "dept_head".
ALTER TABLE departments ADD COLUMN head_user_id bigint;
ALTER TABLE departments ADD FOREIGN KEY (tenant_id, head_user_id) REFERENCES users(tenant_id, id);

-- A template applies to a business type: the enabled ones are tried by priority,
-- the first whose condition holds for the submitted snapshot wins.
CREATE TABLE approval_templates (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  business_type text NOT NULL,
  name text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  priority int NOT NULL DEFAULT 0,
  -- {field, op, value} or null: always
  condition jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX approval_templates_type ON approval_templates (tenant_id, business_type, priority, id);
SELECT crm_tenant_table('approval_templates');

-- Ordered steps; approver_ids are user ids (kind user) or role ids (kind role).
CREATE TABLE approval_steps (
  tenant_id bigint NOT NULL,
  template_id bigint NOT NULL,
  position int NOT NULL,
  name text NOT NULL,
  approver_kind text NOT NULL CHECK (approver_kind IN ('user', 'role', 'dept_head', 'superior')),
  approver_ids jsonb NOT NULL DEFAULT '[]',
  levels int NOT NULL DEFAULT 1 CHECK (levels BETWEEN 1 AND 10),
  mode text NOT NULL CHECK (mode IN ('all', 'any')),
  condition jsonb,
  PRIMARY KEY (tenant_id, template_id, position),
  FOREIGN KEY (tenant_id, template_id) REFERENCES approval_templates(tenant_id, id) ON DELETE CASCADE
);
SELECT crm_tenant_table('approval_steps');

-- One instance per record; resubmitting starts a new round. `steps` is the plan copied
-- from the template at submission (editing a template does not change running ones);
-- `activation` grows each time a step (re)starts and marks that step's current tasks.
CREATE TABLE approval_instances (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  business_type text NOT NULL,
  record_id bigint NOT NULL,
  title text NOT NULL,
  template_id bigint,
  template_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  steps jsonb NOT NULL,
  current_step int,
  round int NOT NULL DEFAULT 1,
  activation int NOT NULL DEFAULT 1,
  submitter_id bigint NOT NULL,
  snapshot jsonb NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, template_id) REFERENCES approval_templates(tenant_id, id),
  FOREIGN KEY (tenant_id, submitter_id) REFERENCES users(tenant_id, id),
  CHECK ((status = 'pending') = (current_step IS NOT NULL))
);
CREATE UNIQUE INDEX approval_instances_record ON approval_instances (tenant_id, business_type, record_id);
CREATE INDEX approval_instances_submitter ON approval_instances (tenant_id, submitter_id, submitted_at DESC, id DESC);
CREATE INDEX approval_instances_updated ON approval_instances (tenant_id, updated_at DESC, id DESC);
CREATE INDEX approval_instances_submitter_pending ON approval_instances (tenant_id, submitter_id) WHERE status = 'pending';
SELECT crm_tenant_table('approval_instances');

-- What each approver has to decide, per step activation.
CREATE TABLE approval_tasks (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  instance_id bigint NOT NULL,
  round int NOT NULL,
  activation int NOT NULL,
  step int NOT NULL,
  approver_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'skipped')),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, instance_id) REFERENCES approval_instances(tenant_id, id),
  FOREIGN KEY (tenant_id, approver_id) REFERENCES users(tenant_id, id),
  UNIQUE (tenant_id, instance_id, activation, approver_id)
);
CREATE INDEX approval_tasks_waiting ON approval_tasks (tenant_id, approver_id, created_at DESC, id DESC) WHERE status = 'pending';
CREATE INDEX approval_tasks_decided ON approval_tasks (tenant_id, approver_id, instance_id) WHERE status IN ('approved', 'rejected');
CREATE INDEX approval_tasks_instance ON approval_tasks (tenant_id, instance_id, activation);
SELECT crm_tenant_table('approval_tasks');

-- The history of an instance, append-only.
CREATE TABLE approval_events (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  instance_id bigint NOT NULL,
  round int NOT NULL,
  step int,
  step_name text,
  action text NOT NULL CHECK (action IN ('submit', 'resubmit', 'approve', 'reject', 'withdraw')),
  actor_id bigint NOT NULL,
  comment text,
  -- reject: the step it went back to, null for the submitter
  back_to int,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, instance_id) REFERENCES approval_instances(tenant_id, id),
  FOREIGN KEY (tenant_id, actor_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX approval_events_instance ON approval_events (tenant_id, instance_id, id);
SELECT crm_tenant_table('approval_events', 'SELECT, INSERT');
CREATE TRIGGER approval_events_append_only BEFORE UPDATE OR DELETE ON approval_events FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();

-- Expense claims (报销). Their status is their approval's (draft without one).
CREATE TABLE expenses (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text NOT NULL,
  title text NOT NULL,
  category text NOT NULL CHECK (category IN ('travel', 'entertainment', 'office', 'other')),
  amount numeric(15, 2) NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  amount_company numeric(15, 2) NOT NULL,
  occurred_on date NOT NULL,
  description text,
  customer_id bigint,
  owner_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id)
);
CREATE UNIQUE INDEX expenses_code ON expenses (tenant_id, code);
CREATE INDEX expenses_owner_updated ON expenses (tenant_id, owner_id, updated_at DESC, id DESC);
CREATE INDEX expenses_updated ON expenses (tenant_id, updated_at DESC, id DESC);
SELECT crm_tenant_table('expenses');

-- Files on expense claims. Later migrations that widen this check must keep 'expense'.
ALTER TABLE attachments DROP CONSTRAINT attachments_entity_type_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_entity_type_check CHECK (entity_type IN ('customer', 'contact', 'lead', 'followup', 'expense'));

-- Default expense flow: the direct superior (any one), then finance (all of them) from 5000 on.
-- Called after the default roles exist (the finance step names the role).
CREATE FUNCTION crm_seed_approval_settings(t bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tpl bigint;
  finance bigint;
BEGIN
  INSERT INTO numbering_rules (tenant_id, entity_type, pattern) VALUES (t, 'expense', 'BX{YYYY}{MM}{SEQ:4}') ON CONFLICT DO NOTHING;
  IF EXISTS (SELECT 1 FROM approval_templates WHERE tenant_id = t AND business_type = 'expense') THEN RETURN; END IF;
  SELECT id INTO finance FROM roles WHERE tenant_id = t AND code = 'finance';
  INSERT INTO approval_templates (tenant_id, business_type, name) VALUES (t, 'expense', '报销审批') RETURNING id INTO tpl;
  INSERT INTO approval_steps (tenant_id, template_id, position, name, approver_kind, levels, mode)
    VALUES (t, tpl, 0, '直属上级审批', 'superior', 1, 'any');
  IF finance IS NOT NULL THEN
    INSERT INTO approval_steps (tenant_id, template_id, position, name, approver_kind, approver_ids, mode, condition)
      VALUES (t, tpl, 1, '财务审核', 'role', jsonb_build_array(finance), 'all', '{"field": "amount", "op": "gte", "value": "5000"}');
  END IF;
END $$;
SELECT crm_seed_approval_settings(id) FROM tenants;
