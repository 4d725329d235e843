import { amount, count } from '../../common/format';

/** How a parameter reads: its Chinese name and its value with the unit. */
export interface ParamSpec {
  path: string;
  label: string;
  format: (v: number) => string;
}

const yuan = (v: number) => `${amount(v).replace(/\.00$/, '')} 元`;
const unit = (u: string) => (v: number) => `${count(v)} ${u}`;
const decimal = (u: string) => (v: number) => `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} ${u}`;

/** The parameters by rule, as the policy document (contracts/policy.md) names them. */
export const PARAM_GROUPS: { title: string; params: ParamSpec[] }[] = [
  {
    title: '资格条件',
    params: [
      { path: 'housingAreaPerCapita', label: '住房超标：人均住房建筑面积达到', format: decimal('平方米') },
      { path: 'incomePerCapita', label: '收入超标：人均年收入超过', format: yuan },
      { path: 'incomeMonths', label: '年收入统计月数', format: unit('个月') },
      { path: 'economicCheckIncomeYears', label: '经济状况核对收入有效期', format: unit('年') },
      { path: 'financialAssets', label: '资产超标：家庭金融资产超过', format: yuan },
      { path: 'economicCheckAssetsYears', label: '经济状况核对资产有效期', format: unit('年') },
      { path: 'vehiclePrice', label: '车辆超标：车辆发票价格超过', format: yuan },
      { path: 'businessCapital', label: '工商登记：注册资本（或出资额）达到', format: yuan },
      { path: 'adultAge', label: '承租人死亡：成年年龄', format: unit('周岁') },
    ],
  },
  {
    title: '转租转借（嫌疑评分）',
    params: [
      { path: 'sublet.residencePoints', label: '非家庭成员居住登记：每人', format: unit('分') },
      { path: 'sublet.residenceMaxPoints', label: '居住登记最高计分', format: unit('分') },
      { path: 'sublet.workPoints', label: '承租人异地缴纳社保/公积金', format: unit('分') },
      { path: 'sublet.workMonths', label: '异地缴纳月数达到', format: unit('个月') },
      { path: 'sublet.workWindowMonths', label: '异地缴纳统计期', format: unit('个月') },
      { path: 'sublet.electricityPoints', label: '人均用电量偏高', format: unit('分') },
      { path: 'sublet.electricityPerCapita', label: '人均月用电量达到', format: decimal('千瓦时') },
      { path: 'sublet.electricityWindowMonths', label: '用电统计期', format: unit('个月') },
      { path: 'sublet.highScore', label: '高风险分数线', format: unit('分') },
      { path: 'sublet.mediumScore', label: '中风险分数线', format: unit('分') },
      { path: 'sublet.inspectionDays', label: '高风险入户核查时限', format: unit('天') },
    ],
  },
  {
    title: '空置与欠租',
    params: [
      { path: 'vacant.months', label: '空置：连续统计月数', format: unit('个月') },
      { path: 'vacant.electricityBelow', label: '空置：每月用电量低于', format: decimal('千瓦时') },
      { path: 'vacant.waterBelow', label: '空置：每月用水量低于', format: decimal('立方米') },
      { path: 'arrearsMonths', label: '欠租：欠缴租金达到', format: unit('个月') },
    ],
  },
  {
    title: '退出程序',
    params: [
      { path: 'exit.eligibilityDeadlineDays', label: '资格不符退出期限', format: unit('天') },
      { path: 'exit.violationDeadlineDays', label: '违规退出期限', format: unit('天') },
      { path: 'exit.contestWindowDays', label: '申辩（复核申请）期限', format: unit('天') },
    ],
  },
];

export const CATEGORY_NAMES: Record<string, string> = {
  dibao: '低保',
  low_income: '低收入',
  lower_middle_income: '中等偏下收入',
  new_employee: '新就业职工',
  migrant_worker: '外来务工人员',
};

/** A parameter's value by its dotted path (undefined when absent, e.g. in an override). */
export function valueAt(params: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), params);
}

/** The spec of a path (for overrides). */
export const specOf = (path: string): ParamSpec | undefined => PARAM_GROUPS.flatMap((g) => g.params).find((p) => p.path === path);

/** The dotted paths an override sets (one level of nesting). */
export function pathsOf(o: Record<string, unknown>): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((s) => `${k}.${s}`) : [k]));
}
