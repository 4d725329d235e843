import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 住房公积金: deposits, loans, withdrawals. */
export const housingFund: SourceDefinition = {
  name: 'housing-fund',
  label: '住房公积金',
  defaultCron: '0 4 6 * *',
  kinds: [
    {
      kind: 'deposit',
      label: '缴存',
      person: 'idNo',
      period: 'period',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        employerName: F.text('单位名称'),
        regionCode: F.region('缴存地', true),
        period: F.period('费款所属期', true),
        depositBase: F.amount('缴存基数'),
      },
    },
    {
      kind: 'loan',
      label: '贷款',
      person: 'idNo',
      date: 'issuedOn',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        contractNo: F.text('借款合同号'),
        purpose: F.oneOf('贷款用途', ['购房', '建房', '翻修', '其他'], true),
        amount: F.amount('金额'),
        propertyAddress: F.text('房屋坐落'),
        issuedOn: F.date('放款日期', true),
        status: F.oneOf('状态', ['active', 'settled']),
      },
    },
    {
      kind: 'withdrawal',
      label: '提取',
      person: 'idNo',
      date: 'withdrawnOn',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        reason: F.oneOf('提取原因', ['购房', '建房', '租房', '离职', '退休', '其他'], true),
        amount: F.amount('金额'),
        withdrawnOn: F.date('提取日期', true),
      },
    },
  ],
};
