import { F } from '../fields';
import type { SourceDefinition } from '../source-definition';

/** 民政: marriages, deaths, household economic checks, social assistance. */
export const civilAffairs: SourceDefinition = {
  name: 'civil-affairs',
  label: '民政',
  defaultCron: '0 2 * * *', // deaths matter daily
  kinds: [
    {
      kind: 'marriage',
      label: '婚姻登记',
      person: 'idNo',
      otherPerson: 'spouseIdNo',
      date: 'eventDate',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        event: F.oneOf('事件', ['married', 'divorced'], true),
        spouseIdNo: F.id('配偶身份证号', true),
        spouseName: F.name('配偶姓名'),
        eventDate: F.date('登记日期', true),
      },
    },
    {
      kind: 'death',
      label: '死亡登记',
      person: 'idNo',
      date: 'deathDate',
      fields: { idNo: F.id('身份证号', true), name: F.name('姓名'), deathDate: F.date('死亡日期', true) },
    },
    {
      kind: 'economic-check',
      label: '家庭经济状况核对',
      person: 'idNo',
      date: 'checkDate',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        checkDate: F.date('核对日期', true),
        annualIncome: F.amount('年收入'),
        financialAssets: F.amount('金融资产'),
      },
    },
    {
      kind: 'assistance',
      label: '社会救助',
      person: 'idNo',
      date: 'validFrom',
      fields: {
        idNo: F.id('身份证号', true),
        name: F.name('姓名'),
        assistanceType: F.oneOf('救助类型', ['低保', '特困', '低收入'], true),
        validFrom: F.date('起始日期', true),
        validTo: F.date('终止日期'),
      },
    },
  ],
};
