/** The rules' codes and their Chinese names. Dependency-free: the console imports this file as it is (web/src/common/vocabulary.ts). */
export type RuleCode =
  | 'HOUSING_AREA'
  | 'HOUSING_ACQUIRED'
  | 'INCOME_OVER'
  | 'ASSETS_OVER'
  | 'VEHICLE'
  | 'BUSINESS'
  | 'HUKOU_OUT'
  | 'TENANT_DECEASED'
  | 'DUPLICATE'
  | 'SUBLET'
  | 'VACANT'
  | 'ARREARS';

export const RULE_NAMES: Record<RuleCode, string> = {
  HOUSING_AREA: '住房超标',
  HOUSING_ACQUIRED: '新购住房',
  INCOME_OVER: '收入超标',
  ASSETS_OVER: '资产超标',
  VEHICLE: '车辆超标',
  BUSINESS: '工商登记',
  HUKOU_OUT: '户籍迁出',
  TENANT_DECEASED: '承租人死亡',
  DUPLICATE: '重复享受',
  SUBLET: '转租转借',
  VACANT: '空置',
  ARREARS: '欠租',
};
