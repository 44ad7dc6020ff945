-- Saved filter views (场景) and each user's column choice per list (CUS-15).
CREATE TABLE saved_views (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  name text NOT NULL,
  owner_id bigint NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  filters jsonb NOT NULL DEFAULT '{}',
  columns text[] NOT NULL DEFAULT '{}',
  sort text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX saved_views_entity ON saved_views (tenant_id, entity_type, owner_id);
SELECT crm_tenant_table('saved_views');

CREATE TABLE list_preferences (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  user_id bigint NOT NULL,
  entity_type text NOT NULL CHECK (entity_type IN ('customer', 'contact', 'lead')),
  columns text[] NOT NULL,
  PRIMARY KEY (tenant_id, user_id, entity_type),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
SELECT crm_tenant_table('list_preferences');

UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['view.share']) ORDER BY 1)
WHERE code IN ('admin', 'sales_director', 'sales_manager');
