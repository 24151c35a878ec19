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
  { code: '330105000000', name: '拱墅区', level: 'district', parentCode: '330100000000' },
  { code: '330106000000', name: '西湖区', level: 'district', parentCode: '330100000000' },
  { code: '330108000000', name: '滨江区', level: 'district', parentCode: '330100000000' },
  { code: '330109000000', name: '萧山区', level: 'district', parentCode: '330100000000' },
  { code: '330110000000', name: '余杭区', level: 'district', parentCode: '330100000000' },
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
  // registration authority 1 (机构编制); type 1 机关, 2 事业单位
  unifiedSocialCreditCode: makeUnifiedSocialCreditCode(
    kind === 'public_institution' ? '12' : '11',
    regionCode.slice(0, 6),
    orgBody,
  ),
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
  // city departments that publish the demo directory (platform/src/demo/demoDirectory/)
  department('hz-fgw', '杭州市发展和改革委员会', '市发改委', '00250417', '方志刚'),
  department('hz-jyj', '杭州市教育局', '市教育局', '00249118', '何佳'),
  department('hz-jsj', '杭州市住房和城乡建设局', '市住建局', '00250633', '沈浩'),
  department('hz-jtj', '杭州市交通运输局', '市交通运输局', '00249362', '蒋涛'),
  department('hz-sthj', '杭州市生态环境局', '市生态环境局', '00251024', '韩雪'),
  department('hz-qxj', '杭州市气象局', '市气象局', '00251560', '杨帆'),
  department('hz-ghzy', '杭州市规划和自然资源局', '市规划资源局', '00250882', '朱磊'),
  department('hz-swj', '国家税务总局杭州市税务局', '市税务局', '00248733', '秦月'),
  department('hz-zy', '杭州市中级人民法院', '杭州中院', '00247951', '许诺', undefined, 'court'),
  department(
    'hz-jcy',
    '杭州市人民检察院',
    '市检察院',
    '00248046',
    '吕婷',
    undefined,
    'procuratorate',
  ),
  department('hz-wgly', '杭州市文化广电旅游局', '市文广旅游局', '00250759', '施雯'),
  department('hz-nync', '杭州市农业农村局', '市农业农村局', '00249843', '张建华'),
  department('hz-czj', '杭州市财政局', '市财政局', '00248564', '金晶'),
  department('hz-tjj', '杭州市统计局', '市统计局', '00249577', '曹宇'),
  department('hz-yjgl', '杭州市应急管理局', '市应急管理局', '00251238', '彭军'),
  department('hz-cgj', '杭州市城市管理局', '市城管局', '00250196', '邵峰'),
  department('hz-ybj', '杭州市医疗保障局', '市医保局', '00251395', '袁媛'),
  department('hz-tyjr', '杭州市退役军人事务局', '市退役军人事务局', '00251472', '龚勇'),
  department('hz-sfj', '杭州市司法局', '市司法局', '00248387', '唐慧'),
  department('hz-lsj', '杭州市林业水利局', '市林水局', '00250968', '范文'),
  department('hz-swuj', '杭州市商务局', '市商务局', '00249704', '马超'),
  department(
    'hz-gjj',
    '杭州住房公积金管理中心',
    '市公积金中心',
    '47001326',
    '叶青',
    undefined,
    'public_institution',
  ),
  // district counterparts
  department(
    'sc-scjg',
    '杭州市上城区市场监督管理局',
    '上城区市场监管局',
    '00261045',
    '汪洁',
    '330102000000',
  ),
  department(
    'gs-scjg',
    '杭州市拱墅区市场监督管理局',
    '拱墅区市场监管局',
    '00263218',
    '陆明',
    '330105000000',
  ),
  department(
    'xh-scjg',
    '杭州市西湖区市场监督管理局',
    '西湖区市场监管局',
    '00264473',
    '严凯',
    '330106000000',
  ),
  department(
    'bj-scjg',
    '杭州市滨江区市场监督管理局',
    '滨江区市场监管局',
    '00266531',
    '薛琳',
    '330108000000',
  ),
  department(
    'xs-scjg',
    '杭州市萧山区市场监督管理局',
    '萧山区市场监管局',
    '00268306',
    '潘军',
    '330109000000',
  ),
  department(
    'yh-scjg',
    '杭州市余杭区市场监督管理局',
    '余杭区市场监管局',
    '00269127',
    '钟慧',
    '330110000000',
  ),
  department('sc-jyj', '杭州市上城区教育局', '上城区教育局', '00261182', '姚远', '330102000000'),
  department('xh-jyj', '杭州市西湖区教育局', '西湖区教育局', '00264590', '邹倩', '330106000000'),
  department('bj-jyj', '杭州市滨江区教育局', '滨江区教育局', '00266648', '熊斌', '330108000000'),
  department('gs-mzj', '杭州市拱墅区民政局', '拱墅区民政局', '00263335', '金燕', '330105000000'),
  department('xh-mzj', '杭州市西湖区民政局', '西湖区民政局', '00264617', '任杰', '330106000000'),
  department(
    'xh-wjj',
    '杭州市西湖区卫生健康局',
    '西湖区卫健局',
    '00264734',
    '崔颖',
    '330106000000',
  ),
  department(
    'xs-wjj',
    '杭州市萧山区卫生健康局',
    '萧山区卫健局',
    '00268423',
    '程亮',
    '330109000000',
  ),
  department(
    'xh-rsj',
    '杭州市西湖区人力资源和社会保障局',
    '西湖区人力社保局',
    '00264851',
    '丁宁',
    '330106000000',
  ),
  department(
    'yh-rsj',
    '杭州市余杭区人力资源和社会保障局',
    '余杭区人力社保局',
    '00269244',
    '谭波',
    '330110000000',
  ),
  department(
    'xh-gafj',
    '杭州市公安局西湖区分局',
    '西湖公安分局',
    '00264978',
    '黎刚',
    '330106000000',
  ),
  department(
    'bj-cgj',
    '杭州市滨江区城市管理局',
    '滨江区城管局',
    '00266765',
    '戴伟',
    '330108000000',
  ),
  department(
    'xs-jtj',
    '杭州市萧山区交通运输局',
    '萧山区交通运输局',
    '00268540',
    '廖静',
    '330109000000',
  ),
  department(
    'xs-nync',
    '杭州市萧山区农业农村局',
    '萧山区农业农村局',
    '00268667',
    '邱华',
    '330109000000',
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
