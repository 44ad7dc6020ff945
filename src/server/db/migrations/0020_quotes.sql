-- Quotes (报价单, SAL-5). Quotes have their own data scope, like opportunities.

UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('quote', data_scopes -> 'opportunity')
WHERE code IS NOT NULL AND data_scopes ? 'opportunity';
UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_director', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_manager', ARRAY['quote.view', 'quote.create', 'quote.edit', 'quote.delete']),
  ('sales_rep', ARRAY['quote.view', 'quote.create', 'quote.edit']),
  ('finance', ARRAY['quote.view'])
) AS extra(code, p)
WHERE r.code = extra.code;

-- (tables follow)
