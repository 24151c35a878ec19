import { makeUnifiedSocialCreditCode } from '../organisation/unifiedSocialCreditCode.ts';

/**
 * The demo city seeded on first `npm start` and mirrored in the Keycloak realm file
 * (deploy/keycloak/gov-exchange-realm.json). Region codes are the real statistical division
 * codes; credit codes are generated with valid check characters but belong to no one.
 */

export type Role = 'platform-admin' | 'steward' | 'approver' | 'auditor' | 'developer' | 'system';
/** Realm roles. `system` is held only by department systems' service accounts. */
export const ROLES: readonly Role[] = [
  'platform-admin',
  'steward',
  'approver',
  'auditor',
  'developer',
  'system',
];
export const PERSON_ROLES: readonly Role[] = [
  'platform-admin',
  'steward',
  'approver',
  'auditor',
  'developer',
];

export interface DemoRegion {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'street';
  parentCode?: string;
}

export interface DemoDepartment {
  code: string;
  name: string;
  shortName: string;
  regionCode: string;
  kind:
    | 'agency'
    | 'court'
    | 'procuratorate'
    | 'congress'
    | 'cppcc'
    | 'state_enterprise'
    | 'public_institution'
    | 'other';
  unifiedSocialCreditCode: string;
  contactName: string;
  contactPhone: string;
}

export interface DemoUser {
  username: string;
  displayName: string;
  email: string;
  kind: 'staff' | 'developer';
  roles: Role[];
  departmentCode?: string;
}

export interface DemoSystem {
  clientId: string;
  name: string;
  departmentCode: string;
  description: string;
}

/** Every demo account signs in with this password; never used outside the embedded provider. */
export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_REGIONS: readonly DemoRegion[] = [
  { code: '330000000000', name: '浙江省', level: 'province' },
  { code: '330100000000', name: '杭州市', level: 'city', parentCode: '330000000000' },
  { code: '330102000000', name: '上城区', level: 'district', parentCode: '330100000000' },
  { code: '330106000000', name: '西湖区', level: 'district', parentCode: '330100000000' },
  { code: '330106001000', name: '北山街道', level: 'street', parentCode: '330106000000' },
  { code: '330106004000', name: '灵隐街道', level: 'street', parentCode: '330106000000' },
];

const department = (
  code: string,
  name: string,
  shortName: string,
  orgBody: string,
  contactName: string,
  regionCode = '330100000000',
  kind: DemoDepartment['kind'] = 'agency',
): DemoDepartment => ({
  code,
  name,
  shortName,
  regionCode,
  kind,
  unifiedSocialCreditCode: makeUnifiedSocialCreditCode('11', regionCode.slice(0, 6), orgBody),
  contactName,
  contactPhone: `0571-8${orgBody.slice(2, 8)}`,
});

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  department('hz-dsj', '杭州市数据资源管理局', '市数据资源局', '00250101', '陈晓东'),
  department('hz-gaj', '杭州市公安局', '市公安局', '00248912', '王敏'),
  department('hz-scjg', '杭州市市场监督管理局', '市市场监管局', '00251187', '刘洋'),
  department('hz-rsj', '杭州市人力资源和社会保障局', '市人力社保局', '00249025', '赵丽'),
  department('hz-mzj', '杭州市民政局', '市民政局', '00248955', '孙婷'),
  department('hz-wjw', '杭州市卫生健康委员会', '市卫健委', '00249631', '周杰'),
  department('hz-zjj', '杭州市住房保障和房产管理局', '市住保房管局', '00250310', '吴芳'),
  department(
    'xh-zf',
    '杭州市西湖区人民政府办公室',
    '西湖区政府办',
    '00247706',
    '郑强',
    '330106000000',
  ),
];

/** The data authority (数据主管部门): its staff administer the platform and audit evidence. */
export const DATA_AUTHORITY_CODE = 'hz-dsj';

const staff = (departmentCode: string, role: Role, displayName: string): DemoUser => ({
  username: `${departmentCode}.${role}`,
  displayName,
  email: `${departmentCode}.${role}@demo.gov-exchange.cn`,
  kind: 'staff',
  roles: [role],
  departmentCode,
});

export const DEMO_USERS: readonly DemoUser[] = [
  {
    ...staff('hz-dsj', 'platform-admin', '陈晓东'),
    username: 'admin',
    email: 'admin@demo.gov-exchange.cn',
  },
  {
    ...staff('hz-dsj', 'auditor', '林审计'),
    username: 'auditor',
    email: 'auditor@demo.gov-exchange.cn',
  },
  staff('hz-dsj', 'approver', '黄审核'),
  staff('hz-gaj', 'steward', '李静'),
  staff('hz-gaj', 'approver', '王建国'),
  staff('hz-scjg', 'steward', '刘洋'),
  staff('hz-scjg', 'approver', '许明'),
  staff('hz-rsj', 'steward', '赵丽'),
  staff('hz-rsj', 'approver', '钱伟'),
  staff('hz-mzj', 'steward', '孙婷'),
  staff('hz-wjw', 'steward', '周杰'),
  staff('hz-zjj', 'steward', '吴芳'),
  staff('xh-zf', 'steward', '郑强'),
  {
    username: 'developer',
    displayName: '张伟',
    email: 'developer@demo.gov-exchange.cn',
    kind: 'developer',
    roles: ['developer'],
  },
];

export const DEMO_SYSTEMS: readonly DemoSystem[] = [
  {
    clientId: 'hz-gaj-system',
    name: '公安人口信息系统',
    departmentCode: 'hz-gaj',
    description: '户籍人口与居住证信息',
  },
  {
    clientId: 'hz-scjg-system',
    name: '市场主体登记系统',
    departmentCode: 'hz-scjg',
    description: '企业与个体工商户登记信息',
  },
  {
    clientId: 'hz-rsj-system',
    name: '社保经办系统',
    departmentCode: 'hz-rsj',
    description: '社会保险参保与缴费',
  },
  {
    clientId: 'hz-mzj-system',
    name: '社会救助系统',
    departmentCode: 'hz-mzj',
    description: '低保、特困人员认定与救助',
  },
  {
    clientId: 'hz-wjw-system',
    name: '全民健康信息平台',
    departmentCode: 'hz-wjw',
    description: '出生医学证明与医疗机构信息',
  },
  {
    clientId: 'hz-zjj-system',
    name: '房产交易登记系统',
    departmentCode: 'hz-zjj',
    description: '商品房备案与存量房交易',
  },
];
