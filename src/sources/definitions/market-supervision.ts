import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 市场监管: enterprise registrations and the persons' roles in them. */
export const marketSupervision: SourceDefinition = {
  name: 'market-supervision',
  label: '市场监管',
  defaultCron: '0 3 * * 3',
  kinds: [
    {
      kind: 'enterprise',
      label: '企业登记',
      person: 'idNo',
      date: 'establishedOn',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        enterpriseName: F.text('企业名称'),
        creditCode: F.text('统一社会信用代码'),
        role: F.oneOf('身份', ['法定代表人', '股东', '个体工商户经营者'], true),
        registeredCapital: F.amount('注册资本'),
        shareRatio: F.percent('出资比例'),
        status: F.oneOf('登记状态', ['存续', '注销', '吊销'], true),
        establishedOn: F.date('成立日期'),
        cancelledOn: F.date('注销日期'),
      },
    },
  ],
};
