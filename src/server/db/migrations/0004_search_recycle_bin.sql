-- Finding customers and contacts (CUS-15): Chinese terms of two characters or more
-- through a bigram index (pg_trgm makes no trigram of a two-character term, and
-- none at all under ctype C), pinyin and pinyin initials through prefix indexes.

-- The distinct two-character pieces of a text, lower-cased, spaces removed.
CREATE FUNCTION crm_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
  FROM (SELECT lower(regexp_replace(t, '\s+', '', 'g')) AS s) x, generate_series(1, length(s) - 1) AS i
$$;

ALTER TABLE customers
  ADD COLUMN pinyin_full text,
  ADD COLUMN pinyin_initials text;
CREATE INDEX customers_name_bigrams ON customers USING gin (crm_bigrams(name)) WHERE deleted_at IS NULL;
CREATE INDEX customers_pinyin_full ON customers (tenant_id, pinyin_full text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_pinyin_initials ON customers (tenant_id, pinyin_initials text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_code_prefix ON customers (tenant_id, code text_pattern_ops);

ALTER TABLE contacts
  ADD COLUMN pinyin_full text,
  ADD COLUMN pinyin_initials text;
CREATE INDEX contacts_name_bigrams ON contacts USING gin (crm_bigrams(name)) WHERE deleted_at IS NULL;
CREATE INDEX contacts_pinyin_initials ON contacts (tenant_id, pinyin_initials text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX contacts_mobile_prefix ON contacts (tenant_id, mobile text_pattern_ops) WHERE deleted_at IS NULL;

-- The recycle bin (CUS-14) is the administrators' business.
UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['recycle.manage']) ORDER BY 1) WHERE code = 'admin';
