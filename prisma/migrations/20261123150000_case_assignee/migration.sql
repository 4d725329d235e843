-- A case (and the inspection it orders) can be assigned to a named user: their 我的待办.
ALTER TABLE "case" ADD COLUMN "assignee_id" INTEGER;
ALTER TABLE "case" ADD CONSTRAINT "case_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "case_assignee_id_idx" ON "case"("assignee_id");
