import request from 'supertest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiJson } from '../../src/ops/openapi';
import { tempDir } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

describe('the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: Document;
  let ops: [string, Operation][];

  beforeAll(async () => {
    t = await startTestApp('openapi_doc');
    doc = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).body as Document;
    ops = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m): [string, Operation] => [`${m.toUpperCase()} ${path}`, item[m]]));
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1, with the Swagger UI beside it', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(ops.length).toBeGreaterThan(40);
    await request(t.app.getHttpServer()).get('/api/docs').expect(200).expect('Content-Type', /html/);
  });

  it("passes Redocly's recommended lint with no errors and no unexplained warnings (redocly.yaml)", () => {
    const file = join(tempDir('openapi-lint'), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let out: string;
    try {
      out = execFileSync(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      // Errors found: the report is still on stdout, with a non-zero exit.
      out = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(out) as LintReport;
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('declares for every operation a stable id, a tag, its 2xx body and its error answers', () => {
    const ids = ops.map(([, op]) => op.operationId);
    expect(ids.filter((id) => !id || /_/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.filter(([, op]) => !op.tags?.length).map(([k]) => k)).toEqual([]);
    const noBody = ops.filter(([, op]) => !Object.entries(op.responses).some(([s, r]) => /^2\d\d$/.test(s) && (s === '204' || Object.keys(r.content ?? {}).length > 0)));
    expect(noBody.map(([k]) => k)).toEqual([]);
    const noErrors = ops.filter(([, op]) => !Object.keys(op.responses).some((s) => /^[45]\d\d$/.test(s)));
    expect(noErrors.map(([k]) => k)).toEqual([]);
    // Downloads declare their media types as binary strings.
    expect(Object.keys(doc.paths['/api/exports/overdue'].get.responses['200'].content!)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv; charset=utf-8']);
  });

  it('is what the console\'s typed client was generated from (web/src/api/openapi.json; `npm run openapi` rewrites it)', () => {
    const committed = readFileSync(join(ROOT, 'web/src/api/openapi.json'), 'utf8');
    if (committed === openApiJson(doc)) return;
    const served = join(tempDir('openapi-served'), 'openapi.json');
    writeFileSync(served, openApiJson(doc));
    throw new Error(`web/src/api/openapi.json differs from the served document (${served}): run \`npm run openapi\` and commit it`);
  });
});
