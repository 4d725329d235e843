import type { ApiBody, Item } from '../../api/types';
import { amount, count } from '../../common/format';
import { specOf } from './parameters';

export type Decision = Item<Item<ApiBody<'/api/simulations/{id}/households', 'get'>['items']>['decided']>;

/** The thresholds a draft form edits: the parameter's path, its unit and what a valid value is. */
export const EDITABLE: { path: string; unit: string; min: number; integer?: boolean; positive?: boolean }[] = [
  { path: 'incomePerCapita', unit: '元', min: 0 },
  { path: 'financialAssets', unit: '元', min: 0 },
  { path: 'housingAreaPerCapita', unit: '平方米', min: 0, positive: true },
  { path: 'vehiclePrice', unit: '元', min: 0 },
  { path: 'businessCapital', unit: '元', min: 0 },
  { path: 'sublet.highScore', unit: '分', min: 1, integer: true },
  { path: 'sublet.mediumScore', unit: '分', min: 1, integer: true },
  { path: 'arrearsMonths', unit: '个月', min: 1, integer: true },
];

/** A parameter's Chinese name (as the 参数 tab shows it), e.g. 收入超标：人均年收入超过. */
export const paramLabel = (path: string): string => specOf(path)?.label ?? path;
/** A parameter's value with its unit, e.g. 48,000 元. */
export const paramValue = (path: string, v: number): string => specOf(path)?.format(v) ?? String(v);

const yuan = (v: number) => `${amount(v).replace(/\.00$/, '')} 元`;
const num = (u: string) => (v: number) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} ${u}`;
const maxOf = (list: unknown, key: string): number | undefined => {
  const xs = Array.isArray(list) ? list.map((x) => Number((x as Record<string, unknown>)[key])).filter(Number.isFinite) : [];
  return xs.length ? Math.max(...xs) : undefined;
};

/** How a rule's deciding value reads: its name, the value, the threshold's key, how it compares and the words for each side. */
const MEASURED: Record<string, { label: string; value: (v: Record<string, unknown>) => number | undefined; key: string; op: '>' | '≥'; fmt: (v: number) => string; words: [string, string]; line?: string }> = {
  INCOME_OVER: { label: '人均收入', value: (v) => Number(v.incomePerCapita), key: 'incomePerCapita', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  ASSETS_OVER: { label: '家庭金融资产', value: (v) => Number(v.financialAssets), key: 'financialAssets', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  HOUSING_AREA: { label: '人均住房建筑面积', value: (v) => Number(v.areaPerCapita), key: 'housingAreaPerCapita', op: '≥', fmt: num('平方米'), words: ['超标', '不超标'] },
  VEHICLE: { label: '车辆发票价格', value: (v) => maxOf(v.vehicles, 'invoicePrice'), key: 'vehiclePrice', op: '>', fmt: yuan, words: ['超标', '不超标'] },
  BUSINESS: { label: '计入的注册资本（出资额）', value: (v) => maxOf(v.enterprises, 'countedCapital'), key: 'businessCapital', op: '≥', fmt: yuan, words: ['达到', '未达到'] },
  ARREARS: { label: '欠缴租金', value: (v) => Number(v.monthsInArrears), key: 'arrearsMonths', op: '≥', fmt: num('个月'), words: ['达到', '未达到'] },
  SUBLET: { label: '转租转借嫌疑评分', value: (v) => Number(v.score), key: 'mediumScore', op: '≥', fmt: num('分'), words: ['列入', '不列入'], line: '中风险线' },
};

/**
 * What decided a household's change, in words: the value against the line of each policy, e.g.
 * 人均收入 49,200 元：现行标准 48,000 元（超标），草案标准 52,000 元（不超标）. Rules without one
 * measured value (户籍迁出, 空置, ...) give the finding's own explanation.
 */
export function decisionText(d: Decision): string {
  const m = MEASURED[d.rule];
  const value = m?.value(d.values);
  const a = Number(d.thresholds.inForce[m?.key ?? '']);
  const b = Number(d.thresholds.draft[m?.key ?? '']);
  if (!m || value === undefined || !Number.isFinite(value) || !Number.isFinite(a) || !Number.isFinite(b)) return d.explanation;
  const fires = (line: number) => (m.op === '>' ? value > line : value >= line);
  const side = (name: string, line: number) => `${name}${m.line ?? '标准'} ${m.fmt(line)}（${fires(line) ? m.words[0] : m.words[1]}）`;
  return `${m.label} ${m.fmt(value)}：${side('现行', a)}，${side('草案', b)}`;
}

/** A count's change, signed: +12, −3, 0. */
export function delta(inForce: number, draft: number): string {
  const d = draft - inForce;
  return d > 0 ? `+${count(d)}` : d < 0 ? `−${count(-d)}` : '0';
}
