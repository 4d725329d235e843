import type { FormColumn } from './printed-form';

/** The columns of the 应退未退整改情况表, in the order of policy.md section D. */
export const OVERDUE_FORM: FormColumn[] = [
  { header: '序号', kind: 'index' },
  { header: '项目名称', kind: 'project' },
  { header: '房屋坐落', kind: 'address' },
  { header: '承租人', kind: 'name' },
  { header: '身份证号', kind: 'idNo' },
  { header: '家庭人数', kind: 'number' },
  { header: '退出性质', kind: 'label' },
  { header: '退出原因', kind: 'text' },
  { header: '认定日期', kind: 'date' },
  { header: '通知日期', kind: 'date' },
  { header: '应退日期', kind: 'date' },
  { header: '逾期天数', kind: 'number' },
  { header: '是否主动申报', kind: 'flag' },
  { header: '整改措施', kind: 'text' },
  { header: '整改进展', kind: 'text' },
  { header: '备注', kind: 'text' },
];

/** The columns of 问题整改清单. */
export const CASE_LIST_FORM: FormColumn[] = [
  { header: '序号', kind: 'index' },
  { header: '案件编号', kind: 'number' },
  { header: '家庭编号', kind: 'code' },
  { header: '项目名称', kind: 'project' },
  { header: '所属镇街', kind: 'name' },
  { header: '房屋坐落', kind: 'address' },
  { header: '承租人', kind: 'name' },
  { header: '身份证号', kind: 'idNo' },
  { header: '案件类型', kind: 'label' },
  { header: '问题', kind: 'text' },
  { header: '问题说明', kind: 'text' },
  { header: '状态', kind: 'label' },
  { header: '退出性质', kind: 'label' },
  { header: '是否主动申报', kind: 'flag' },
  { header: '认定日期', kind: 'date' },
  { header: '应退日期', kind: 'date' },
  { header: '结案结果', kind: 'label' },
];

/** The columns of 成果清单. */
export const SUMMARY_FORM: FormColumn[] = [
  { header: '统计维度', kind: 'label' },
  { header: '名称', kind: 'address' },
  { header: '发现问题', kind: 'number' },
  { header: '已认定', kind: 'number' },
  { header: '误报排除', kind: 'number' },
  { header: '已腾退', kind: 'number' },
  { header: '应退未退', kind: 'number' },
];
