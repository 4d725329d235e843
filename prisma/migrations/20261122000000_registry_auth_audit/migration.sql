-- Registry (公租房台账), ledger imports, access control and the audit log.

CREATE TABLE "project" (
    "id" SERIAL NOT NULL,
    "project_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "town" TEXT,
    "management" TEXT,
    "owner" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "project_project_code_key" ON "project"("project_code");
CREATE INDEX "project_town_idx" ON "project"("town");

CREATE TABLE "unit" (
    "id" SERIAL NOT NULL,
    "unit_code" TEXT NOT NULL,
    "project_id" INTEGER NOT NULL,
    "building" TEXT,
    "room_no" TEXT,
    "address_code" TEXT,
    "address_text" TEXT,
    "address_norm" TEXT,
    "floor_area" DECIMAL(10,2),
    "rooms" INTEGER,
    "monthly_rent" DECIMAL(12,2),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "unit_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "unit_unit_code_key" ON "unit"("unit_code");
CREATE INDEX "unit_project_id_idx" ON "unit"("project_id");
CREATE INDEX "unit_address_code_idx" ON "unit"("address_code");
CREATE INDEX "unit_address_norm_idx" ON "unit"("address_norm");

CREATE TABLE "person" (
    "id" SERIAL NOT NULL,
    "id_no" TEXT NOT NULL,
    "name" TEXT,
    "birth_date" DATE NOT NULL,
    "sex" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "person_id_no_key" ON "person"("id_no");

CREATE TABLE "household" (
    "id" SERIAL NOT NULL,
    "household_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "unit_id" INTEGER,
    "lease_start" DATE,
    "lease_end" DATE,
    "queued_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "household_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "household_household_code_key" ON "household"("household_code");
CREATE INDEX "household_status_idx" ON "household"("status");
CREATE INDEX "household_unit_id_idx" ON "household"("unit_id");

CREATE TABLE "member" (
    "household_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "relation" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_pkey" PRIMARY KEY ("household_id","person_id")
);
CREATE INDEX "member_person_id_idx" ON "member"("person_id");

CREATE TABLE "declaration" (
    "id" SERIAL NOT NULL,
    "household_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "matter" TEXT NOT NULL,
    "declared_on" DATE NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "declaration_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "declaration_household_id_person_id_matter_declared_on_key" ON "declaration"("household_id","person_id","matter","declared_on");

CREATE TABLE "arrears" (
    "id" SERIAL NOT NULL,
    "household_id" INTEGER NOT NULL,
    "months_in_arrears" INTEGER NOT NULL,
    "amount" DECIMAL(12,2),
    "as_of" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "arrears_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "arrears_household_id_as_of_key" ON "arrears"("household_id","as_of");

CREATE TABLE "handover" (
    "id" SERIAL NOT NULL,
    "household_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "handed_over_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "handover_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "handover_household_id_unit_id_handed_over_on_key" ON "handover"("household_id","unit_id","handed_over_on");

CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "summary" JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "import_rejection" (
    "id" BIGSERIAL NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    CONSTRAINT "import_rejection_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "import_rejection_batch_id_idx" ON "import_rejection"("batch_id");

CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "purpose" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type","entity_id");
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

ALTER TABLE "unit" ADD CONSTRAINT "unit_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "household" ADD CONSTRAINT "household_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "member" ADD CONSTRAINT "member_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "member" ADD CONSTRAINT "member_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "declaration" ADD CONSTRAINT "declaration_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "arrears" ADD CONSTRAINT "arrears_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "handover" ADD CONSTRAINT "handover_household_id_fkey" FOREIGN KEY ("household_id") REFERENCES "household"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "handover" ADD CONSTRAINT "handover_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "import_rejection" ADD CONSTRAINT "import_rejection_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log is append-only: nothing may change or remove an entry.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
