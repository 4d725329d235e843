-- API tokens get a scope like users: both empty = the whole city; else the listed towns or projects.
ALTER TABLE "api_token" ADD COLUMN "scope_towns" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "api_token" ADD COLUMN "scope_projects" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Usernames are case-insensitive: stored in lower case (the API lower-cases them), one per spelling.
UPDATE "app_user" SET "username" = lower("username") WHERE "username" <> lower("username");
CREATE UNIQUE INDEX "app_user_username_lower_key" ON "app_user"(lower("username"));
