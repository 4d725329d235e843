-- Most department records have no second party, many (meter readings) no person, and only
-- residence and meter records have a unit: indexes on those columns skip the NULLs, which makes
-- every bulk merge write far fewer index entries. (SQL only, like every partial index here.)
DROP INDEX "source_record_person_id_idx";
DROP INDEX "source_record_other_person_id_idx";
DROP INDEX "source_record_unit_id_idx";
CREATE INDEX "source_record_person_id_idx" ON "source_record"("person_id") WHERE "person_id" IS NOT NULL;
CREATE INDEX "source_record_other_person_id_idx" ON "source_record"("other_person_id") WHERE "other_person_id" IS NOT NULL;
CREATE INDEX "source_record_unit_id_idx" ON "source_record"("unit_id") WHERE "unit_id" IS NOT NULL;
