// Used by the Prisma CLI (`prisma generate`, and `prisma migrate deploy` where its engine is
// available). The platform applies migrations with its own runner: see docs/adr/0002.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: '.' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
