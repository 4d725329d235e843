import { count } from '../../common/format';
import { specOf } from './parameters';

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

/** A count's change, signed: +12, −3, 0. */
export function delta(inForce: number, draft: number): string {
  const d = draft - inForce;
  return d > 0 ? `+${count(d)}` : d < 0 ? `−${count(-d)}` : '0';
}
