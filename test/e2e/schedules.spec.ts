import request from 'supertest';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SyncScheduler } from '../../src/worker/schedulers/sync.scheduler';
import { bodyOf } from '../support/api';
import { tempDir } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/** Schedules follow the configuration as it changes, and the status shows the one that exists. */
describe('source schedules follow the configuration (e2e)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let drop: string;
  const auth = () => ({ Authorization: `Bearer ${t.tokens.viewer}` });
  const scheduleOf = async (source: string) => {
    const r = bodyOf<{ transport: string; schedule: { cron: string; next: string } | null }>(await http.get(`/api/sources/${source}`).set(auth()).expect(200));
    return { transport: r.transport, schedule: r.schedule };
  };

  beforeAll(async () => {
    drop = tempDir('sched-drop');
    mkdirSync(join(drop, 'vehicle'));
    t = await startTestApp('schedules', { APP_ROLE: 'all', FEED_DROP_DIR: drop, SOURCE_PROPERTY_CRON: '15 3 * * 1' });
    http = request(t.app.getHttpServer());
  });
  afterAll(() => t.close());

  it('registers a schedule for a drop folder created after start, and removes it with the folder', async () => {
    expect(await scheduleOf('vehicle')).toEqual({ transport: 'file', schedule: { cron: '0 3 * * 2', next: expect.any(String) as unknown } });
    // Created after start (as the demo does): no schedule yet, and the status says so.
    mkdirSync(join(drop, 'property'));
    expect(await scheduleOf('property')).toEqual({ transport: 'file', schedule: null });

    expect(await t.app.get(SyncScheduler).reconcile()).toEqual({ added: ['property'], removed: [] });
    const property = await scheduleOf('property');
    expect(property.schedule!.cron).toBe('15 3 * * 1');
    expect(new Date(property.schedule!.next).getTime()).toBeGreaterThan(Date.now());
    // Nothing changed: nothing done.
    expect(await t.app.get(SyncScheduler).reconcile()).toEqual({ added: [], removed: [] });

    rmSync(join(drop, 'property'), { recursive: true });
    expect(await t.app.get(SyncScheduler).reconcile()).toEqual({ added: [], removed: ['property'] });
    expect(await scheduleOf('property')).toEqual({ transport: 'none', schedule: null });
  });
});
