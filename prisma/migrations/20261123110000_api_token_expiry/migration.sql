-- API tokens may expire: a token past its expires_at is refused like a revoked one.
ALTER TABLE "api_token" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
