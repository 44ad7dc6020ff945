-- Customer points (积分, CUS-18) and customer value (RFM, CUS-19).
ALTER TABLE customers
  ADD COLUMN points integer NOT NULL DEFAULT 0 CHECK (points >= 0),
  ADD COLUMN rfm_r smallint,
  ADD COLUMN rfm_f smallint,
  ADD COLUMN rfm_m smallint,
  ADD COLUMN rfm_score smallint,
  ADD COLUMN rfm_at timestamptz;
CREATE INDEX customers_points ON customers (tenant_id, points DESC, id DESC) WHERE deleted_at IS NULL AND points > 0;

-- Every grant and redemption; the balance on the customer is their sum.
CREATE TABLE customer_points (
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  customer_id bigint NOT NULL,
  delta integer NOT NULL CHECK (delta <> 0),
  balance integer NOT NULL,
  reason text NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id)
);
CREATE INDEX customer_points_customer ON customer_points (tenant_id, customer_id, created_at DESC);
SELECT crm_tenant_table('customer_points');

UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['customer.points']) ORDER BY 1)
WHERE code IN ('admin', 'sales_director', 'sales_manager');
