import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 公安车管: motor vehicles. */
export const vehicle: SourceDefinition = {
  name: 'vehicle',
  label: '公安车管',
  defaultCron: '0 3 * * 2',
  kinds: [
    {
      kind: 'vehicle',
      label: '机动车',
      person: 'ownerIdNo',
      date: 'registeredOn',
      fields: {
        ownerIdNo: F.id('车主身份证号', true),
        ownerName: F.name('车主'),
        plateNo: F.text('号牌号码'),
        vehicleType: F.oneOf('车辆类型', ['小型汽车', '大型汽车', '货车', '摩托车', '其他'], true),
        usage: F.oneOf('使用性质', ['非营运', '营运'], true),
        registeredOn: F.date('初次登记日期', true),
        invoicePrice: F.amount('购置价格'),
        status: F.oneOf('状态', ['normal', 'deregistered'], true),
        deregisteredOn: F.date('注销日期'),
      },
    },
  ],
};
