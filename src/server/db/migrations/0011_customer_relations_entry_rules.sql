-- Relationship chain (CUS-5): parent → subsidiary/branch (a tree: one parent at
-- most, no cycles — checked by the service under a per-company lock), and peer
-- links. `supplier` points from the upstream supplier to the downstream dealer;
-- the symmetric kinds (affiliate, partner) are stored with from_id < to_id so a
-- pair is stored once. Erasing a customer erases its links.
CREATE TABLE customer_relations (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  from_id bigint NOT NULL,
  to_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('subsidiary', 'branch', 'affiliate', 'supplier', 'partner')),
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, from_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, to_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE,
  CHECK (from_id <> to_id),
  CHECK (kind NOT IN ('affiliate', 'partner') OR from_id < to_id)
);
CREATE UNIQUE INDEX customer_relations_pair ON customer_relations (tenant_id, from_id, to_id, kind);
CREATE UNIQUE INDEX customer_relations_one_parent ON customer_relations (tenant_id, to_id) WHERE kind IN ('subsidiary', 'branch');
CREATE INDEX customer_relations_to ON customer_relations (tenant_id, to_id);
SELECT crm_tenant_table('customer_relations');

-- Entry rules (CUS-13): the standard fields an administrator made required, per
-- entity; a row means required.
CREATE TABLE required_fields (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  field text NOT NULL,
  PRIMARY KEY (tenant_id, entity_type, field)
);
SELECT crm_tenant_table('required_fields');
