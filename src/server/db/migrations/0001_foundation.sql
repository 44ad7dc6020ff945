-- Foundation: tenants, organisation, roles, sign-in, audit, customers (minimal), record access.
--
-- Every table holding a company's data has tenant_id, a primary key starting with it
-- (what Citus needs to distribute by tenant) and composite foreign keys, so a row can
-- never point at another tenant's row. Row-level security confines the application
-- role crm_app to the tenant named by the transaction setting app.tenant_id.

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_app') THEN
    CREATE ROLE crm_app NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another database's migration
END $$;
DO $$ BEGIN
  EXECUTE format('GRANT crm_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL; -- already a member, or a superuser that needs no membership
END $$;
GRANT USAGE ON SCHEMA public TO crm_app;

CREATE FUNCTION crm_current_tenant() RETURNS bigint LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::bigint $$;

-- Enables row-level security on a tenant table and grants crm_app the given privileges.
CREATE FUNCTION crm_tenant_table(tbl regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = crm_current_tenant()) '
                 'WITH CHECK (tenant_id = crm_current_tenant())', tbl);
  EXECUTE format('GRANT %s ON %s TO crm_app', privileges, tbl);
END $$;

-- Append-only tables refuse UPDATE and DELETE from anyone, the owner included.
CREATE FUNCTION crm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE tenants (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,49}$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_self ON tenants USING (id = crm_current_tenant());
GRANT SELECT ON tenants TO crm_app;

CREATE TABLE departments (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  parent_id bigint,
  name text NOT NULL,
  sort int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES departments(tenant_id, id)
);
CREATE UNIQUE INDEX departments_sibling_name ON departments (tenant_id, coalesce(parent_id, 0), name);
CREATE UNIQUE INDEX departments_one_root ON departments (tenant_id) WHERE parent_id IS NULL;
SELECT crm_tenant_table('departments');

-- Closure of the department tree: every (ancestor, descendant) pair, depth 0 for itself.
CREATE TABLE department_closure (
  tenant_id bigint NOT NULL,
  ancestor_id bigint NOT NULL,
  descendant_id bigint NOT NULL,
  depth int NOT NULL,
  PRIMARY KEY (tenant_id, ancestor_id, descendant_id),
  FOREIGN KEY (tenant_id, ancestor_id) REFERENCES departments(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, descendant_id) REFERENCES departments(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX department_closure_descendant ON department_closure (tenant_id, descendant_id);
SELECT crm_tenant_table('department_closure');

CREATE TABLE users (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  department_id bigint NOT NULL,
  superior_id bigint,
  name text NOT NULL,
  mobile text,
  email text,
  gender text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
  position text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  is_super_admin boolean NOT NULL DEFAULT false,
  password_hash text,
  password_changed_at timestamptz,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments(tenant_id, id),
  FOREIGN KEY (tenant_id, superior_id) REFERENCES users(tenant_id, id),
  CHECK (mobile IS NOT NULL OR email IS NOT NULL),
  CHECK (superior_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX users_mobile ON users (tenant_id, mobile) WHERE mobile IS NOT NULL;
CREATE UNIQUE INDEX users_email ON users (tenant_id, email) WHERE email IS NOT NULL;
-- sign-in looks a login up before it knows the tenant
CREATE INDEX users_login_mobile ON users (mobile) WHERE mobile IS NOT NULL;
CREATE INDEX users_login_email ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_department ON users (tenant_id, department_id);
SELECT crm_tenant_table('users', 'SELECT, INSERT, UPDATE');

-- Closure of the direct-superior chain: ancestor is a (transitive) superior of descendant.
CREATE TABLE user_closure (
  tenant_id bigint NOT NULL,
  ancestor_id bigint NOT NULL,
  descendant_id bigint NOT NULL,
  depth int NOT NULL,
  PRIMARY KEY (tenant_id, ancestor_id, descendant_id),
  FOREIGN KEY (tenant_id, ancestor_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, descendant_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX user_closure_descendant ON user_closure (tenant_id, descendant_id);
SELECT crm_tenant_table('user_closure');

CREATE TABLE roles (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  code text,
  name text NOT NULL,
  description text,
  permissions text[] NOT NULL DEFAULT '{}',
  data_scopes jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX roles_name ON roles (tenant_id, name);
CREATE UNIQUE INDEX roles_code ON roles (tenant_id, code) WHERE code IS NOT NULL;
SELECT crm_tenant_table('roles');

CREATE TABLE user_roles (
  tenant_id bigint NOT NULL,
  user_id bigint NOT NULL,
  role_id bigint NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id);
SELECT crm_tenant_table('user_roles');

CREATE TABLE sessions (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
SELECT crm_tenant_table('sessions', 'SELECT, UPDATE');

CREATE TABLE api_tokens (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  user_id bigint NOT NULL,
  name text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX api_tokens_user ON api_tokens (tenant_id, user_id);
SELECT crm_tenant_table('api_tokens', 'SELECT, INSERT, UPDATE');

-- Every sign-in attempt. tenant_id is null when the login matched no user.
CREATE TABLE login_log (
  id bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id bigint REFERENCES tenants(id),
  user_id bigint,
  login text NOT NULL,
  result text NOT NULL,
  ip text,
  user_agent text,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id)
);
CREATE INDEX login_log_tenant_at ON login_log (tenant_id, at DESC, id DESC);
CREATE INDEX login_log_user_at ON login_log (tenant_id, user_id, at DESC);
SELECT crm_tenant_table('login_log', 'SELECT');
CREATE TRIGGER login_log_append_only BEFORE UPDATE OR DELETE ON login_log FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();

-- Operation log: who changed which field of which record, from what to what.
CREATE TABLE audit_log (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id bigint,
  actor_name text,
  ip text,
  user_agent text,
  entity_type text NOT NULL,
  record_id bigint,
  record_name text,
  action text NOT NULL,
  changes jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_record ON audit_log (tenant_id, entity_type, record_id, at DESC);
CREATE INDEX audit_log_at ON audit_log (tenant_id, at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, at DESC);
SELECT crm_tenant_table('audit_log', 'SELECT, INSERT');
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();

CREATE TABLE customers (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  owner_id bigint,
  department_id bigint,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by bigint,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users(tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments(tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
-- One index per list order, each also led by owner for scoped lists.
CREATE INDEX customers_updated ON customers (tenant_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_owner_updated ON customers (tenant_id, owner_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_created ON customers (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_owner_created ON customers (tenant_id, owner_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_name ON customers (tenant_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_department ON customers (tenant_id, department_id) WHERE deleted_at IS NULL;
SELECT crm_tenant_table('customers');

-- Team members (相关团队) and shares of any scoped record, read-only or read-write.
CREATE TABLE record_access (
  tenant_id bigint NOT NULL,
  entity_type text NOT NULL,
  record_id bigint NOT NULL,
  user_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('team', 'share')),
  access text NOT NULL CHECK (access IN ('read', 'write')),
  granted_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entity_type, record_id, user_id, kind),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id)
);
CREATE INDEX record_access_user ON record_access (tenant_id, user_id, entity_type, record_id);
SELECT crm_tenant_table('record_access');
