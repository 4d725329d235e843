-- Notices from the bureau's templates (issue 15): DOCX templates by kind, each upload a new version;
-- the notices generated at the case steps (the bytes of both in the document store, not in these rows);
-- and batch ZIPs of a kind's notices for printing.
CREATE TABLE "document_template" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "tags" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "uploaded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "document_template_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "document_template_kind_version_key" ON "document_template"("kind", "version");

-- One notice per case step (its timeline event) and kind: a re-run of the job finds it.
CREATE TABLE "case_document" (
    "id" BIGSERIAL NOT NULL,
    "case_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "template_id" INTEGER,
    "template_version" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "case_document_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "case_document_event_id_kind_key" ON "case_document"("event_id", "kind");
CREATE UNIQUE INDEX "case_document_number_key" ON "case_document"("number");
CREATE INDEX "case_document_case_id_id_idx" ON "case_document"("case_id", "id");

CREATE TABLE "document_batch" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "scope" JSONB,
    "requested_by" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "total" INTEGER,
    "done" INTEGER NOT NULL DEFAULT 0,
    "storage_key" TEXT,
    "size" BIGINT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "document_batch_pkey" PRIMARY KEY ("id")
);
