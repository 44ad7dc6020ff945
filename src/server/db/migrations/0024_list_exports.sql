-- Exports of the contact and lead lists (CUS-16): the default roles that export customers export these too.

UPDATE roles r SET permissions = ARRAY(SELECT DISTINCT unnest(r.permissions || extra.p) ORDER BY 1)
FROM (VALUES
  ('admin', ARRAY['contact.export', 'lead.export']),
  ('sales_director', ARRAY['contact.export', 'lead.export']),
  ('sales_manager', ARRAY['contact.export', 'lead.export']),
  ('marketing', ARRAY['contact.export', 'lead.export'])
) AS extra(code, p)
WHERE r.code = extra.code;
