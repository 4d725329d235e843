-- The case timeline refuses TRUNCATE like the audit log (its UPDATE/DELETE trigger is row-level,
-- which TRUNCATE bypasses). Both refuse it whoever asks, the owner included.
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON "case_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The service's role does not own the tables, and PostgreSQL 15 lets only an owner ANALYZE one.
-- The recompute's scope needs fresh statistics (10 s -> 0.2 s at 100,000 households), so the owner
-- lends exactly that, for the tables named here and nothing else.
CREATE FUNCTION phr_analyze(table_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF table_name NOT IN ('recompute_scope') THEN
    RAISE EXCEPTION 'phr_analyze: % is not analyzable by the service', table_name;
  END IF;
  EXECUTE format('ANALYZE %I', table_name);
END
$$;
