import { api, ok } from '../../api/client';
import type { ApiBody, Item } from '../../api/types';
import { ruleName } from '../../common/vocabulary';
import { decisionText } from './simulation-text';

type Change = Item<ApiBody<'/api/simulations/{id}/households', 'get'>['items']>;
export type ChangeKind = Change['change'];

export const CHANGE_LABELS: Record<ChangeKind, string> = { newly_failing: '新增不符合条件', newly_passing: '转为符合条件', changed: '问题有变化' };

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Every page of a simulation's changed households (500 at a time) as CSV text (with a BOM so that Excel reads it as UTF-8). */
export async function changesCsv(id: string, change: ChangeKind, rule: string | undefined): Promise<string> {
  const rows: Change[] = [];
  for (let page = 1; ; page++) {
    const r = await ok(api.GET('/api/simulations/{id}/households', { params: { path: { id }, query: { change, rule, page, pageSize: 500 } } }));
    rows.push(...r.items);
    if (rows.length >= r.total || !r.items.length) break;
  }
  const lines = [
    ['家庭编号', '镇街', '项目', '变化', '判定问题', '现行与草案标准对照'],
    ...rows.map((r) => [r.householdCode, r.town ?? '', r.projectCode ?? '', CHANGE_LABELS[r.change], r.decided.map((d) => ruleName(d.rule)).join('、'), r.decided.map(decisionText).join('；')]),
  ];
  return '\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves text as a file through a temporary link. */
export function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
