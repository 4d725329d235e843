import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity } from '../../src/generator/city-generator';
import { SCENARIOS } from '../../src/generator/scenarios/index';
import { tempDir } from '../support/files';

const filesOf = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesOf(join(dir, name)).map((f) => join(name, f)) : [name]));

describe('city generator', () => {
  it('writes, for the same arguments, the same files (XLSX aside: exceljs stamps it with the time)', async () => {
    const [a, b] = [tempDir('gen-a'), tempDir('gen-b')];
    const args = { households: 150, seed: 5, asOf: '2026-02-28', pageSize: 40 };
    await generateCity({ ...args, outDir: a });
    await generateCity({ ...args, outDir: b });
    const files = filesOf(a).filter((f) => !f.endsWith('.xlsx') && f !== 'manifest.json');
    expect(files.length).toBeGreaterThan(20);
    expect(filesOf(b).filter((f) => !f.endsWith('.xlsx') && f !== 'manifest.json').sort()).toEqual([...files].sort());
    for (const f of files) expect({ f, same: readFileSync(join(a, f)).equals(readFileSync(join(b, f))) }).toEqual({ f, same: true });
    // The manifest names its own directory.
    const manifest = (dir: string) => ({ ...(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>), outDir: null });
    expect(manifest(b)).toEqual(manifest(a));
  });

  it('plants every scenario in the first households, with the findings its scenario file expects', async () => {
    const dir = tempDir('gen-scenarios');
    await generateCity({ households: SCENARIOS.length, seed: 9, outDir: dir, json: false });
    const lines = readFileSync(join(dir, 'expected', 'scenarios.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { scenario: string; rules: string[] });
    const planted = new Map(lines.map((l) => [l.scenario, l.rules]));
    for (const s of SCENARIOS) expect({ scenario: s.name, rules: planted.get(s.name) }).toEqual({ scenario: s.name, rules: [...new Set(s.expect)].sort() });
    expect(planted.get('duplicate_membership_twin')).toEqual(['DUPLICATE']);
    expect(planted.get('duplicate_with_exited_twin')).toEqual([]);
  });
});
