-- Draft policies (what-if): not in force, editable until adopted; adopting one stores it as a
-- policy_version (immutable) and freezes the draft.
CREATE TABLE "policy_draft" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "base_version" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "adopted_version_id" INTEGER,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policy_draft_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policy_draft_status_check" CHECK ("status" IN ('draft', 'adopted'))
);
ALTER TABLE "policy_draft" ADD CONSTRAINT "policy_draft_adopted_version_id_fkey" FOREIGN KEY ("adopted_version_id") REFERENCES "policy_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Simulation runs: the engine over today's data with a draft (and the policy in force), sharded
-- like a recompute; kept apart from recompute_run, finding and case in tables of their own.
CREATE TABLE "simulation_run" (
    "id" BIGSERIAL NOT NULL,
    "draft_id" INTEGER NOT NULL,
    "policy_version_id" INTEGER NOT NULL,
    "as_of" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "sweep" JSONB,
    "status" TEXT NOT NULL DEFAULT 'running',
    "shards" INTEGER NOT NULL DEFAULT 0,
    "households" INTEGER NOT NULL DEFAULT 0,
    "evaluated" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,
    CONSTRAINT "simulation_run_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "simulation_run_kind_check" CHECK ("kind" IN ('compare', 'sweep'))
);
ALTER TABLE "simulation_run" ADD CONSTRAINT "simulation_run_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "policy_draft"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "simulation_run" ADD CONSTRAINT "simulation_run_policy_version_id_fkey" FOREIGN KEY ("policy_version_id") REFERENCES "policy_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "simulation_shard" (
    "run_id" BIGINT NOT NULL,
    "shard" INTEGER NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "evaluated" INTEGER NOT NULL DEFAULT 0,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "simulation_shard_pkey" PRIMARY KEY ("run_id", "shard")
);
ALTER TABLE "simulation_shard" ADD CONSTRAINT "simulation_shard_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "simulation_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Households failing each rule ('*': any rule) at each point (-1: the policy in force; 0..: the
-- draft, or the sweep's values), by town, project and category; one shard's rows at a time.
CREATE TABLE "simulation_count" (
    "id" BIGSERIAL NOT NULL,
    "run_id" BIGINT NOT NULL,
    "shard" INTEGER NOT NULL,
    "point" INTEGER NOT NULL,
    "rule_code" TEXT NOT NULL,
    "town" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "households" INTEGER NOT NULL,
    CONSTRAINT "simulation_count_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "simulation_count_run_id_shard_idx" ON "simulation_count"("run_id", "shard");
ALTER TABLE "simulation_count" ADD CONSTRAINT "simulation_count_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "simulation_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A household whose verdict differs between the policy in force and the draft, with what decided it.
CREATE TABLE "simulation_change" (
    "run_id" BIGINT NOT NULL,
    "household_id" INTEGER NOT NULL,
    "shard" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "rules_in_force" TEXT[],
    "rules_draft" TEXT[],
    "decided" JSONB NOT NULL,
    CONSTRAINT "simulation_change_pkey" PRIMARY KEY ("run_id", "household_id"),
    CONSTRAINT "simulation_change_change_check" CHECK ("change" IN ('newly_failing', 'newly_passing', 'changed'))
);
CREATE INDEX "simulation_change_run_id_shard_idx" ON "simulation_change"("run_id", "shard");
ALTER TABLE "simulation_change" ADD CONSTRAINT "simulation_change_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "simulation_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
