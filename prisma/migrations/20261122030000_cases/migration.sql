-- Review workflow: cases, their findings, their timeline and measures.

CREATE TABLE "case" (
    "id" BIGSERIAL NOT NULL,
    "household_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "nature" TEXT,
    "declared" BOOLEAN NOT NULL DEFAULT false,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_run_id" BIGINT,
    "inspection_due" DATE,
    "inspection_result" TEXT,
    "confirmed_at" DATE,
    "confirmed_by" TEXT,
    "contest_deadline" DATE,
    "notice_at" DATE,
    "deadline" DATE,
    "market_rent_from" DATE,
    "overdue_at" DATE,
    "closed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "note" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "case_household_id_idx" ON "case"("household_id");
CREATE INDEX "case_status_idx" ON "case"("status");

CREATE TABLE "case_finding" (
    "case_id" BIGINT NOT NULL,
    "rule_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "declared" BOOLEAN NOT NULL DEFAULT false,
    "first_run_id" BIGINT NOT NULL,
    "last_run_id" BIGINT NOT NULL,
    "evidence" JSONB NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "case_finding_pkey" PRIMARY KEY ("case_id","rule_code")
);

CREATE TABLE "case_event" (
    "id" BIGSERIAL NOT NULL,
    "case_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT,
    "reason" TEXT,
    "detail" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "case_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "case_event_case_id_id_idx" ON "case_event"("case_id","id");

CREATE TABLE "case_measure" (
    "id" BIGSERIAL NOT NULL,
    "case_id" BIGINT NOT NULL,
    "measure" TEXT NOT NULL,
    "taken_on" DATE NOT NULL,
    "progress" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "case_measure_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "case_measure_case_id_id_idx" ON "case_measure"("case_id","id");

-- One open case per household.
CREATE UNIQUE INDEX "case_one_open_per_household" ON "case"("household_id") WHERE "closed_at" IS NULL;
-- The timeline is append-only.
CREATE TRIGGER case_event_no_update_delete BEFORE UPDATE OR DELETE ON "case_event"
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
