-- A finding cleared by a reviewer (误报, or a decision overturned on contest) must not open a new
-- case on the next run unless its evidence changed. The evidence's fingerprint: the
-- (source, recordId, updatedAt) of the records the finding rests on and the policy version (a
-- finding that rests on no record, like 重复享受, adds its values). One definition, used by the
-- review workflow and by the backfill below.
CREATE FUNCTION case_evidence_fingerprint(evidence jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT md5(jsonb_build_object(
    'policyVersion', evidence->'policyVersion',
    'records', coalesce((SELECT jsonb_agg(r ORDER BY r) FROM (
        SELECT DISTINCT jsonb_build_object('source', x->>'source', 'recordId', x->>'recordId', 'updatedAt', x->>'updatedAt') AS r
          FROM jsonb_array_elements(coalesce(evidence->'records', '[]'::jsonb)) x) d), '[]'::jsonb),
    'values', CASE WHEN jsonb_array_length(coalesce(evidence->'records', '[]'::jsonb)) = 0 THEN evidence->'values' END
  )::text)
$$;

ALTER TABLE "case_finding" ADD COLUMN "evidence_fingerprint" TEXT;
UPDATE "case_finding" SET "evidence_fingerprint" = case_evidence_fingerprint("evidence");
