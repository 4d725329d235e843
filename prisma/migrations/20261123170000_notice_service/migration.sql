-- 送达: when and how the exit determination (认定告知书) and the exit notice (退出通知书) were served;
-- once recorded, the contest window and the exit deadline run from that day.
ALTER TABLE "case" ADD COLUMN "determination_served_on" DATE;
ALTER TABLE "case" ADD COLUMN "determination_served_method" TEXT;
ALTER TABLE "case" ADD COLUMN "notice_served_on" DATE;
ALTER TABLE "case" ADD COLUMN "notice_served_method" TEXT;
