import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 人社: social-insurance contributions and pensions. */
export const socialSecurity: SourceDefinition = {
  name: 'social-security',
  label: '人社',
  defaultCron: '0 4 5 * *', // monthly, after the month's contributions settle
  kinds: [
    {
      kind: 'contribution',
      label: '参保缴费',
      person: 'idNo',
      period: 'period',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        employerName: F.text('单位名称'),
        employerCreditCode: F.text('统一社会信用代码'),
        regionCode: F.region('参保地', true),
        period: F.period('费款所属期', true),
        contributionBase: F.amount('缴费基数'),
      },
    },
    {
      kind: 'pension',
      label: '养老金发放',
      person: 'idNo',
      period: 'period',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        regionCode: F.region('参保地'),
        period: F.period('费款所属期', true),
        amount: F.amount('发放金额'),
      },
    },
  ],
};
