-- This database's instance id, made when it is migrated (and made anew by `cli restore`).
-- Job ids in Redis start with it: run ids come from sequences, so a recreated or restored
-- database would otherwise meet the jobs an earlier database left in Redis under the same ids.
CREATE TABLE "deployment_instance" (
    "singleton" BOOLEAN NOT NULL DEFAULT true,
    "instance_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_instance_pkey" PRIMARY KEY ("singleton"),
    CONSTRAINT "deployment_instance_singleton" CHECK ("singleton")
);

INSERT INTO "deployment_instance" ("instance_id") VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 12));
