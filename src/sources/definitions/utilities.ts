import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 水电气: monthly meter readings per account. */
export const utilities: SourceDefinition = {
  name: 'utilities',
  label: '水电气',
  defaultCron: '0 5 3 * *',
  kinds: [
    {
      kind: 'meter',
      label: '抄表',
      address: { code: 'addressCode', text: 'addressText' },
      period: 'period',
      fields: {
        accountNo: F.text('户号', true),
        addressCode: F.text('标准地址编码'),
        addressText: F.text('用水用电地址'),
        utility: F.oneOf('类别', ['water', 'electricity', 'gas'], true),
        period: F.period('费款所属期', true),
        usage: F.amount('用量'),
      },
    },
  ],
};
