-- Field-level permissions (ORG-6): per entity, the fields a role hides or makes read-only,
-- e.g. {"customer": {"phone": "hidden", "creditCode": "readonly"}}.
ALTER TABLE roles ADD COLUMN field_access jsonb NOT NULL DEFAULT '{}';
