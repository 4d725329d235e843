-- Eligibility engine: policy versions, recompute runs and shards, results and findings per run.

CREATE TABLE "policy_version" (
    "id" SERIAL NOT NULL,
    "version" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "effective_from" DATE NOT NULL,
    "document" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    CONSTRAINT "policy_version_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "policy_version_version_key" ON "policy_version"("version");
CREATE INDEX "policy_version_region_code_effective_from_idx" ON "policy_version"("region_code","effective_from");

CREATE TABLE "recompute_run" (
    "id" BIGSERIAL NOT NULL,
    "as_of" DATE NOT NULL,
    "policy_version_id" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "base_run_id" BIGINT,
    "change_log_from" BIGINT,
    "change_log_to" BIGINT,
    "shards" INTEGER NOT NULL DEFAULT 0,
    "households" INTEGER NOT NULL DEFAULT 0,
    "evaluated" INTEGER NOT NULL DEFAULT 0,
    "with_findings" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,
    CONSTRAINT "recompute_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "recompute_run_as_of_id_idx" ON "recompute_run"("as_of","id");

CREATE TABLE "recompute_scope" (
    "run_id" BIGINT NOT NULL,
    "household_id" INTEGER NOT NULL,
    CONSTRAINT "recompute_scope_pkey" PRIMARY KEY ("run_id","household_id")
);

CREATE TABLE "recompute_shard" (
    "run_id" BIGINT NOT NULL,
    "shard" INTEGER NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "evaluated" INTEGER NOT NULL DEFAULT 0,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "recompute_shard_pkey" PRIMARY KEY ("run_id","shard")
);

CREATE TABLE "household_result" (
    "run_id" BIGINT NOT NULL,
    "household_id" INTEGER NOT NULL,
    "rules" TEXT[],
    "sublet_score" INTEGER,
    "sublet_level" TEXT,
    "tasks" JSONB NOT NULL DEFAULT '[]',
    "members" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "household_result_pkey" PRIMARY KEY ("run_id","household_id")
);
CREATE INDEX "household_result_household_id_idx" ON "household_result"("household_id");

CREATE TABLE "finding" (
    "run_id" BIGINT NOT NULL,
    "household_id" INTEGER NOT NULL,
    "rule_code" TEXT NOT NULL,
    "level" TEXT,
    "score" INTEGER,
    "evidence" JSONB NOT NULL,
    "fingerprint" TEXT NOT NULL,
    CONSTRAINT "finding_pkey" PRIMARY KEY ("run_id","household_id","rule_code")
);
CREATE INDEX "finding_run_id_rule_code_idx" ON "finding"("run_id","rule_code");
