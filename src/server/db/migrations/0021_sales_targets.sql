-- Sales targets (销售目标, SAL-9) and what the dashboard (ANA-1) reads.

UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['target.manage']),
  ('sales_director', ARRAY['target.manage']),
  ('sales_manager', ARRAY['target.manage'])
) AS extra(code, p)
WHERE r.code = extra.code;

-- (tables follow)
