-- Department feeds: current records, sync state and runs, rejections, processed files, change log.

CREATE TABLE "source_record" (
    "source" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "person_id" INTEGER,
    "other_person_id" INTEGER,
    "address_code" TEXT,
    "address_norm" TEXT,
    "unit_id" INTEGER,
    "record_date" DATE,
    "period" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "data" JSONB NOT NULL,
    "run_id" BIGINT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "source_record_pkey" PRIMARY KEY ("source","record_id")
);
CREATE INDEX "source_record_person_id_idx" ON "source_record"("person_id");
CREATE INDEX "source_record_other_person_id_idx" ON "source_record"("other_person_id");
CREATE INDEX "source_record_unit_id_idx" ON "source_record"("unit_id");

CREATE TABLE "source_state" (
    "source" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "cursor" TEXT,
    "resync_run_id" BIGINT,
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "source_state_pkey" PRIMARY KEY ("source")
);

CREATE TABLE "sync_run" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "job_id" TEXT,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "received" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "withdrawn" INTEGER NOT NULL DEFAULT 0,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "files" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "cursor_from" TEXT,
    "cursor_to" TEXT,
    "error" TEXT,
    CONSTRAINT "sync_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sync_run_source_id_idx" ON "sync_run"("source","id");

CREATE TABLE "source_rejection" (
    "id" BIGSERIAL NOT NULL,
    "run_id" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "record_id" TEXT,
    "location" TEXT,
    "reason" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "source_rejection_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "source_rejection_source_id_idx" ON "source_rejection"("source","id");
CREATE INDEX "source_rejection_run_id_idx" ON "source_rejection"("run_id");

CREATE TABLE "ingested_file" (
    "source" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "run_id" BIGINT NOT NULL,
    "records" INTEGER NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ingested_file_pkey" PRIMARY KEY ("source","sha256")
);

CREATE TABLE "sync_seen" (
    "run_id" BIGINT NOT NULL,
    "record_id" TEXT NOT NULL,
    CONSTRAINT "sync_seen_pkey" PRIMARY KEY ("run_id","record_id")
);

CREATE TABLE "change_log" (
    "id" BIGSERIAL NOT NULL,
    "run_id" BIGINT NOT NULL,
    "person_id" INTEGER,
    "unit_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "change_log_pkey" PRIMARY KEY ("id")
);
