import { fullWidthDigits } from './cell-forms';
import type { Unit } from './draft';

/** The synthetic city's geography and names: 石狮市 (350581), its towns, streets and projects. */

export const REGION = '350581';
/** Region codes of the same city and prefecture that ID numbers are issued in. */
export const LOCAL_REGIONS = ['350581', '350582', '350583', '350521', '350524', '350525', '350526', '350502', '350503', '350504', '350505'];
/** A region outside the city (上海): where people move, work and own homes elsewhere. */
export const ELSEWHERE = '310000';
/** Another county of the same city code 3505 (晋江): local in policy.md's sense (the region's first 4 digits). */
export const NEARBY = '350582';
export const TOWNS = ['湖滨街道', '凤里街道', '灵秀镇', '宝盖镇', '蚶江镇', '祥芝镇', '鸿山镇', '锦尚镇', '永宁镇'];
export const STREETS = ['宝盖路', '八七路', '振兴路', '石狮大道', '长福路', '大仑路', '湖东路', '新湖路'];
export const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢'];
export const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲萍斌辉宇浩晨欣怡佳琪鑫雪梅兰春燕丹波'];
export const HOUSEHOLDS_PER_PROJECT = 200;

/** The project household i lives in (its index). */
export const projectOf = (i: number): number => Math.floor(i / HOUSEHOLDS_PER_PROJECT);

/** Household i's unit; a suffix (a second household of the same index) moves it to other buildings. */
export function unitFor(i: number, suffix = ''): Unit {
  const project = projectOf(i);
  const town = TOWNS[project % TOWNS.length];
  const street = STREETS[project % STREETS.length];
  const no = 10 + project; // unique per project: address texts never collide across projects
  const slot = i % HOUSEHOLDS_PER_PROJECT;
  const building = 1 + Math.floor(slot / 20) + (suffix ? 20 : 0);
  const room = (2 + Math.floor((slot % 20) / 4)) * 100 + (slot % 4) + 1;
  const base = `石狮市${town}${street}${no}号`;
  return {
    code: `U${String(i).padStart(7, '0')}${suffix}`,
    building,
    room,
    addressCode: `35058100${String(project).padStart(4, '0')}${String(building).padStart(2, '0')}${String(room).padStart(4, '0')}`,
    addressText: `${base}${building}幢${room}室`,
    variants: [`${base}${building}栋${room}`, `${base}${fullWidthDigits(building)}号楼${fullWidthDigits(room)}房`, `${base} ${building}幢 ${room}号`],
  };
}

/** A project's ledger row (registry.md 项目): one in five is not run by the city. */
export function projectRow(project: number) {
  const town = TOWNS[project % TOWNS.length];
  const city = project % 5 !== 4;
  return {
    projectCode: `P${String(project).padStart(4, '0')}`,
    name: `${town}${STREETS[project % STREETS.length]}公租房${project + 1}期`,
    regionCode: REGION,
    town,
    management: city ? ('city' as const) : ('non_city' as const),
    owner: city ? '' : '石狮市某置业有限公司',
  };
}
