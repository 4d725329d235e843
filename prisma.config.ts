import { defineConfig } from 'prisma/config';

// Prisma CLI configuration. `prisma generate` needs no database; `prisma migrate` needs the
// schema engine, which cannot be downloaded on the project's machines: there, `npm run db:migrate`
// applies the same migrations (see README, "Migrations").
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/housing' },
});
