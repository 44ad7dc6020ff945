-- Stage totals of the live opportunities per stage and owner (count and sum in the
-- company currency), kept by statement triggers with transition tables (set-based:
-- a bulk transfer or import adjusts each total once). An unfiltered kanban board or
-- funnel reads a few hundred of these rows instead of aggregating a million
-- opportunities; filtered boards still aggregate the opportunities themselves.
CREATE TABLE opportunity_stage_totals (
  tenant_id bigint NOT NULL,
  stage_id bigint NOT NULL,
  owner_id bigint NOT NULL,
  n bigint NOT NULL,
  amount numeric(17, 2) NOT NULL,
  PRIMARY KEY (tenant_id, stage_id, owner_id)
);
SELECT crm_tenant_table('opportunity_stage_totals');

-- The totals of one tenant recomputed from the opportunities (the backfill; bulk loads
-- that bypass triggers call it after).
CREATE FUNCTION crm_rebuild_opportunity_stage_totals(t bigint) RETURNS void LANGUAGE sql AS $$
  DELETE FROM opportunity_stage_totals WHERE tenant_id = t;
  INSERT INTO opportunity_stage_totals (tenant_id, stage_id, owner_id, n, amount)
  SELECT tenant_id, stage_id, owner_id, count(*), sum(amount_company) FROM opportunities
  WHERE tenant_id = t AND deleted_at IS NULL GROUP BY tenant_id, stage_id, owner_id;
$$;

-- Each statement's changes become one delta per (stage, owner), applied in key order
-- so that two transactions moving cards in opposite directions cannot deadlock.
CREATE FUNCTION crm_opportunity_stage_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO opportunity_stage_totals AS s (tenant_id, stage_id, owner_id, n, amount)
    SELECT tenant_id, stage_id, owner_id, count(*), sum(amount_company) FROM new_rows WHERE deleted_at IS NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, stage_id, owner_id) DO UPDATE SET n = s.n + EXCLUDED.n, amount = s.amount + EXCLUDED.amount;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO opportunity_stage_totals AS s (tenant_id, stage_id, owner_id, n, amount)
    SELECT tenant_id, stage_id, owner_id, sum(dn), sum(da) FROM (
      SELECT tenant_id, stage_id, owner_id, 1 AS dn, amount_company AS da FROM new_rows WHERE deleted_at IS NULL
      UNION ALL
      SELECT tenant_id, stage_id, owner_id, -1, -amount_company FROM old_rows WHERE deleted_at IS NULL
    ) d GROUP BY 1, 2, 3 HAVING sum(dn) <> 0 OR sum(da) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, stage_id, owner_id) DO UPDATE SET n = s.n + EXCLUDED.n, amount = s.amount + EXCLUDED.amount;
  ELSE
    INSERT INTO opportunity_stage_totals AS s (tenant_id, stage_id, owner_id, n, amount)
    SELECT tenant_id, stage_id, owner_id, -count(*), -sum(amount_company) FROM old_rows WHERE deleted_at IS NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, stage_id, owner_id) DO UPDATE SET n = s.n + EXCLUDED.n, amount = s.amount + EXCLUDED.amount;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER opportunity_stage_totals_insert AFTER INSERT ON opportunities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_opportunity_stage_totals_apply();
CREATE TRIGGER opportunity_stage_totals_update AFTER UPDATE ON opportunities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_opportunity_stage_totals_apply();
CREATE TRIGGER opportunity_stage_totals_delete AFTER DELETE ON opportunities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_opportunity_stage_totals_apply();

SELECT crm_rebuild_opportunity_stage_totals(id) FROM tenants;
