-- Sampling verification (抽查核实).

CREATE TABLE "sample" (
    "id" SERIAL NOT NULL,
    "seed" TEXT NOT NULL,
    "rate" DECIMAL(7,6) NOT NULL,
    "run_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "sample_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sample_item" (
    "sample_id" INTEGER NOT NULL,
    "household_id" INTEGER NOT NULL,
    "project_id" INTEGER,
    "service_rules" TEXT[],
    "check_rules" TEXT[],
    "checked" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "checked_by" TEXT,
    "checked_at" TIMESTAMPTZ(3),
    CONSTRAINT "sample_item_pkey" PRIMARY KEY ("sample_id","household_id")
);
