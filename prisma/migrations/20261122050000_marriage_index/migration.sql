-- Spouses by marriage are looked up for every shard of a recompute: a partial index keeps that
-- lookup to the marriage records instead of every record of the shard's persons.
-- (Partial index: SQL only, not expressible in schema.prisma; the drift test allows it by name.)
CREATE INDEX "source_record_marriage_person_idx" ON "source_record"("person_id") WHERE "kind" = 'marriage';
