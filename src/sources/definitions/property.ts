import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 不动产登记: real-estate titles. */
export const property: SourceDefinition = {
  name: 'property',
  label: '不动产登记',
  defaultCron: '0 3 * * 1',
  kinds: [
    {
      kind: 'property',
      label: '不动产',
      person: 'ownerIdNo',
      date: 'acquiredOn',
      fields: {
        ownerIdNo: F.id('权利人身份证号', true),
        ownerName: F.name('权利人'),
        certificateNo: F.text('不动产权证号'),
        address: F.text('坐落'),
        regionCode: F.region('行政区划代码', true),
        usage: F.oneOf('用途', ['住宅', '商业', '办公', '车位', '其他'], true),
        floorArea: F.amount('建筑面积'),
        sharePercent: F.percent('共有份额'),
        acquiredOn: F.date('登记日期', true),
        acquisitionType: F.oneOf('取得方式', ['购买', '继承', '受赠', '自建', '其他']),
        status: F.oneOf('状态', ['valid', 'cancelled'], true),
        cancelledOn: F.date('注销日期'),
      },
    },
  ],
};
