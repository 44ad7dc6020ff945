-- Products (SAL-4): stock, price books, discount rules; currencies (SAL-11); user time zones.

-- Stock on hand and the level under which the product managers are told (null: no alert).
-- `low_stock_alerted` remembers that the current dip was announced, so each crossing notifies once.
ALTER TABLE products
  ADD COLUMN stock numeric(13, 3) NOT NULL DEFAULT 0 CHECK (stock >= 0),
  ADD COLUMN low_stock_threshold numeric(13, 3) CHECK (low_stock_threshold >= 0),
  ADD COLUMN low_stock_alerted boolean NOT NULL DEFAULT false,
  ADD FOREIGN KEY (tenant_id, currency) REFERENCES currencies(tenant_id, code);
CREATE INDEX product_categories_parent ON product_categories (tenant_id, parent_id);

-- Every stock change, with the balance after it: the product's stock ledger (append-only).
CREATE TABLE product_stock_movements (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id bigint NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  quantity numeric(13, 3) NOT NULL CHECK (quantity > 0),
  balance numeric(13, 3) NOT NULL CHECK (balance >= 0),
  reason text NOT NULL,
  created_by bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX product_stock_movements_product ON product_stock_movements (tenant_id, product_id, created_at DESC, id DESC);
SELECT crm_tenant_table('product_stock_movements', 'SELECT, INSERT');
CREATE TRIGGER product_stock_movements_append_only BEFORE UPDATE OR DELETE ON product_stock_movements
  FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();

-- Price books (价格表): special prices for a customer level (null: every customer) in one currency, for a period.
CREATE TABLE price_books (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  level_code text,
  currency char(3) NOT NULL,
  valid_from date,
  valid_to date,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, currency) REFERENCES currencies(tenant_id, code),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX price_books_name ON price_books (tenant_id, name);
SELECT crm_tenant_table('price_books');

CREATE TABLE price_book_items (
  tenant_id bigint NOT NULL,
  price_book_id bigint NOT NULL,
  product_id bigint NOT NULL,
  price numeric(15, 2) NOT NULL CHECK (price >= 0),
  PRIMARY KEY (tenant_id, price_book_id, product_id),
  FOREIGN KEY (tenant_id, price_book_id) REFERENCES price_books(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX price_book_items_product ON price_book_items (tenant_id, product_id);
SELECT crm_tenant_table('price_book_items');

-- Discount rules: percent off from a quantity on, or for a customer level; optionally only
-- for one product or one category (and its sub-categories).
CREATE TABLE discount_rules (
  tenant_id bigint NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('quantity', 'customer_level')),
  min_quantity numeric(13, 3) CHECK (min_quantity > 0),
  level_code text,
  product_id bigint,
  category_id bigint,
  percent numeric(5, 2) NOT NULL CHECK (percent >= 0 AND percent <= 100),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES product_categories(tenant_id, id),
  CHECK (product_id IS NULL OR category_id IS NULL),
  CHECK (kind <> 'quantity' OR (min_quantity IS NOT NULL AND level_code IS NULL)),
  CHECK (kind <> 'customer_level' OR (level_code IS NOT NULL AND min_quantity IS NULL))
);
SELECT crm_tenant_table('discount_rules');

-- The largest line discount a role may give; a user may give the highest of their roles'.
CREATE TABLE role_discount_limits (
  tenant_id bigint NOT NULL,
  role_id bigint NOT NULL,
  max_percent numeric(5, 2) NOT NULL CHECK (max_percent >= 0 AND max_percent <= 100),
  PRIMARY KEY (tenant_id, role_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles(tenant_id, id) ON DELETE CASCADE
);
SELECT crm_tenant_table('role_discount_limits');

-- Products carry attachments (specifications, brochures); expenses came with 0016.
ALTER TABLE attachments DROP CONSTRAINT attachments_entity_type_check;
ALTER TABLE attachments ADD CONSTRAINT attachments_entity_type_check
  CHECK (entity_type IN ('customer', 'contact', 'lead', 'followup', 'expense', 'product'));

-- Each user's time zone: the web shows date-times in it.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai';
