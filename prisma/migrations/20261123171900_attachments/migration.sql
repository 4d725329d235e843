-- Attachments of a case (issue 15 item 4): inspection evidence, the household's contest (申辩)
-- materials and other papers, each JPEG, PNG or PDF by its content. The bytes live in the document
-- store (storage_key); rows keep the hash, size and sniffed type. Nothing is deleted: a withdrawn
-- attachment keeps its row and bytes, with who withdrew it, when and why.
CREATE TABLE "case_attachment" (
    "id" BIGSERIAL NOT NULL,
    "case_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "event_id" BIGINT,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "note" TEXT,
    "uploaded_by" TEXT NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by" TEXT,
    "withdraw_reason" TEXT,
    CONSTRAINT "case_attachment_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "case_attachment_case_id_id_idx" ON "case_attachment"("case_id", "id");
