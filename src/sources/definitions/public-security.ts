import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 公安户籍与居住登记: hukou events and residence registrations. */
export const publicSecurity: SourceDefinition = {
  name: 'public-security',
  label: '公安户籍与居住登记',
  defaultCron: '30 2 * * *', // residence matters daily
  kinds: [
    {
      kind: 'hukou',
      label: '户籍',
      person: 'idNo',
      date: 'eventDate',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        regionCode: F.region('户籍地', true),
        event: F.oneOf('变动', ['迁入', '迁出', '注销'], true),
        eventDate: F.date('变动日期', true),
      },
    },
    {
      kind: 'residence',
      label: '居住登记',
      person: 'idNo',
      address: { code: 'addressCode', text: 'addressText' },
      date: 'registeredOn',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        addressCode: F.text('标准地址编码'),
        addressText: F.text('居住地址'),
        registeredOn: F.date('登记日期', true),
        validTo: F.date('有效期至'),
      },
    },
  ],
};
