import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../bootstrap';
import { openApiDocument } from '../http/openapi-document';
import { loadConfig } from '../config/config';

/**
 * Writes the OpenAPI document the service serves at /api/docs-json (`npm run openapi`), for the
 * console's typed client. The application is built but never started: no database, Redis or
 * worker is needed.
 */
export function openApiJson(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'web/src/api/openapi.json' } } });
  const app = await createApp(loadConfig({ ...process.env, APP_ROLE: 'api', LOG_LEVEL: 'error' }), { logger: false });
  const json = openApiJson(openApiDocument(app));
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, json);
  process.stdout.write(`OpenAPI document written to ${values.out}\n`);
  await app.close();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
