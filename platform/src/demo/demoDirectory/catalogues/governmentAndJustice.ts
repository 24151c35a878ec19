import type { DepartmentProfile } from '../catalogueTypes.ts';
import {
  bool,
  choice,
  creditCode,
  date,
  datetime,
  enterpriseName,
  hourlySeries,
  int,
  intByKind,
  item,
  key,
  locationBlock,
  num,
  officePhone,
  personBlock,
  placeAddress,
  readingKey,
  serialKey,
  str,
} from '../items.ts';
import type { RecordContext } from '../recordContext.ts';
import { LAW } from './legalBases.ts';

const MATTERS = [
  '企业设立登记',
  '个体工商户注册登记',
  '出生一件事',
  '新生儿落户',
  '社会保障卡申领',
  '公积金提取',
  '不动产转移登记',
  '居住证办理',
  '食品经营许可',
  '建设工程规划许可',
  '残疾人两项补贴申请',
  '灵活就业人员参保登记',
];
const DEPARTMENT_NAMES = [
  '杭州市市场监督管理局',
  '杭州市公安局',
  '杭州市人力资源和社会保障局',
  '杭州市民政局',
  '杭州住房公积金管理中心',
  '杭州市规划和自然资源局',
  '杭州市卫生健康委员会',
];
/** [数据集, 提供部门, 开放属性, 更新频率]: a sample of the city's open catalogue, one record each */
const OPEN_DATASETS: readonly (readonly [string, string, string, string])[] = [
  ['空气质量实时监测数据', '杭州市生态环境局', '无条件开放', '实时'],
  ['企业登记信息', '杭州市市场监督管理局', '无条件开放', '每日'],
  ['公共厕所信息', '杭州市城市管理局', '无条件开放', '每月'],
  ['公交线路与站点', '杭州市交通运输局', '无条件开放', '每月'],
  ['停车场（库）信息', '杭州市交通运输局', '无条件开放', '实时'],
  ['医疗机构名录', '杭州市卫生健康委员会', '无条件开放', '每月'],
  ['学校名录', '杭州市教育局', '无条件开放', '每年'],
  ['幼儿园名录', '杭州市教育局', '无条件开放', '每年'],
  ['养老机构名录', '杭州市民政局', '无条件开放', '每月'],
  ['药品零售企业名录', '杭州市市场监督管理局', '无条件开放', '每月'],
  ['行政处罚信息', '杭州市市场监督管理局', '无条件开放', '每日'],
  ['经营异常名录', '杭州市市场监督管理局', '无条件开放', '每日'],
  ['食品安全监督抽检信息', '杭州市市场监督管理局', '无条件开放', '每月'],
  ['道路交通流量数据', '杭州市交通运输局', '无条件开放', '实时'],
  ['博物馆名录', '杭州市文化广电旅游局', '无条件开放', '每年'],
  ['星级饭店名录', '杭州市文化广电旅游局', '无条件开放', '每年'],
  ['自动气象站名录', '杭州市气象局', '无条件开放', '每年'],
  ['台风路径数据', '杭州市气象局', '无条件开放', '实时'],
  ['地质灾害隐患点', '杭州市规划和自然资源局', '无条件开放', '每月'],
  ['水利工程名录', '杭州市林业水利局', '无条件开放', '每年'],
  ['医保药品目录', '杭州市医疗保障局', '无条件开放', '每年'],
  ['财政预决算信息', '杭州市财政局', '无条件开放', '每年'],
  ['重要民生商品价格监测数据', '杭州市发展和改革委员会', '无条件开放', '每日'],
  ['人口普查汇总数据', '杭州市统计局', '无条件开放', '每年'],
  ['国民经济主要指标', '杭州市统计局', '有条件开放', '每月'],
  ['规模以上工业企业主要指标', '杭州市统计局', '有条件开放', '每月'],
  ['就业和失业登记统计', '杭州市人力资源和社会保障局', '有条件开放', '每月'],
  ['住房公积金缴存统计', '杭州住房公积金管理中心', '有条件开放', '每月'],
  ['旅游接待统计', '杭州市文化广电旅游局', '有条件开放', '每月'],
  ['农产品质量安全检测数据', '杭州市农业农村局', '无条件开放', '每月'],
];
/** [证照类型, 发证部门, 每万人约有多少张] */
const LICENCE_TYPES: readonly (readonly [string, string, number])[] = [
  ['居民身份证', '杭州市公安局', 9800],
  ['居民户口簿', '杭州市公安局', 3600],
  ['机动车驾驶证', '杭州市公安局', 5200],
  ['机动车行驶证', '杭州市公安局', 3900],
  ['营业执照', '杭州市市场监督管理局', 1900],
  ['食品经营许可证', '杭州市市场监督管理局', 160],
  ['社会保障卡', '杭州市人力资源和社会保障局', 9500],
  ['结婚证', '杭州市民政局', 2600],
  ['离婚证', '杭州市民政局', 300],
  ['出生医学证明', '杭州市卫生健康委员会', 1300],
  ['医师执业证书', '杭州市卫生健康委员会', 45],
  ['护士执业证书', '杭州市卫生健康委员会', 60],
  ['不动产权证书', '杭州市规划和自然资源局', 3300],
  ['建设工程规划许可证', '杭州市规划和自然资源局', 12],
  ['教师资格证书', '杭州市教育局', 140],
  ['残疾人证', '杭州市残疾人联合会', 250],
  ['道路运输经营许可证', '杭州市交通运输局', 30],
  ['危险化学品经营许可证', '杭州市应急管理局', 4],
  ['排污许可证', '杭州市生态环境局', 12],
  ['律师执业证', '杭州市司法局', 15],
];
const OFFICE_HOURS = (c: RecordContext) =>
  c.rng.pick([
    '周一至周五 8:30-12:00，13:30-17:00',
    '周一至周五 9:00-17:00，周六 9:00-12:00',
    '周一至周日 9:00-17:00（法定节假日除外）',
  ]);
const SCENARIOS = [
  '政务服务办事',
  '酒店入住',
  '银行开户',
  '医院就诊',
  '不动产登记',
  '子女入学',
  '公积金提取',
  '企业开办',
  '招投标',
];
const WESTLAKE_AGENCIES = [
  '杭州市西湖区人民政府办公室',
  '杭州市西湖区发展和改革局',
  '杭州市西湖区教育局',
  '杭州市西湖区民政局',
  '杭州市西湖区财政局',
  '杭州市西湖区住房和城乡建设局',
  '杭州市西湖区卫生健康局',
  '杭州市西湖区市场监督管理局',
  '杭州市西湖区城市管理局',
];
const WESTLAKE_TOPICS = [
  '老旧小区改造',
  '垃圾分类',
  '学前教育',
  '居家养老服务',
  '停车难治理',
  '背街小巷整治',
  '社区卫生服务',
  '营商环境优化',
  '人才安居',
  '河道综合治理',
  '农贸市场改造',
  '婴幼儿照护服务',
  '数字经济发展',
  '文化旅游融合',
  '公共体育设施',
];

export const DATA_AUTHORITY: DepartmentProfile = {
  functions: [
    '负责全市公共数据资源目录编制和公共数据资源管理工作',
    '负责全市公共数据共享、开放和一体化智能化公共数据平台建设',
    '负责全市政务服务事项标准化和“一网通办”工作',
    '负责12345政务服务便民热线的运行管理工作',
    '负责全市电子证照库和电子印章系统的建设管理',
  ],
  resources: [
    {
      name: '公共数据开放目录',
      theme: 'government',
      keywords: ['数据开放', '开放数据', '开放目录'],
      abstract:
        '全市各部门向社会开放的公共数据集目录，包括数据集名称、提供部门、开放属性和更新频率。',
      items: [
        key(str('dataset', '数据集名称', 200, (c) => c.nth(OPEN_DATASETS)[0])),
        key(str('provider', '提供部门', 100, (c) => c.nth(OPEN_DATASETS)[1])),
        str('open_type', '开放属性', 14, (c) => c.nth(OPEN_DATASETS)[2]),
        str('cycle', '更新频率', 8, (c) => c.nth(OPEN_DATASETS)[3]),
      ],
      nature: 'public',
      cycle: 'weekly',
      records: 30,
      format: 'spreadsheet',
      fn: 1,
    },
    {
      name: '政务服务事项清单',
      theme: 'government',
      keywords: ['办事指南', '政务服务事项', '一网通办', '办事'],
      abstract: '全市依申请政务服务事项的名称、实施部门、办理时限、是否收费和“最多跑一次”情况。',
      items: [
        serialKey('matter_code', '事项编码', '11330100'),
        str('matter_name', '事项名称', 200, (c) => c.rng.pick(MATTERS)),
        str('department', '实施部门', 100, (c) => c.rng.pick(DEPARTMENT_NAMES)),
        choice('matter_type', '事项类型', ['行政许可', '行政确认', '行政给付', '公共服务']),
        int('time_limit', '承诺办结时限', 0, 20, '工作日'),
        bool('charged', '是否收费', 0.1),
        bool('online', '是否全程网办', 0.8),
      ],
      nature: 'public',
      cycle: 'monthly',
      fn: 2,
      records: 300,
      pinned: true,
    },
    {
      name: '12345政务服务热线工单信息',
      theme: 'government',
      keywords: ['12345', '热线', '市民诉求', '投诉', '市长热线'],
      abstract:
        '12345政务服务便民热线受理的咨询、求助、投诉和建议工单，包括诉求内容分类、承办部门和办理结果。',
      items: [
        serialKey('ticket_number', '工单编号', 'GD'),
        datetime('received_at', '受理时间', 0, 365, { isRequired: true }),
        choice('channel', '来源渠道', ['电话', '浙里办', '微信', '网站']),
        choice('category', '诉求类别', ['咨询', '求助', '投诉', '建议', '举报']),
        choice('topic', '诉求分类', [
          '城市管理',
          '交通出行',
          '住房保障',
          '社会保障',
          '市场监管',
          '环境保护',
          '教育',
          '医疗卫生',
        ]),
        str('caller', '来电人', 50, (c) => c.personName(), { isPersonal: true }),
        str('caller_phone', '来电号码', 20, (c) => c.phone(), {
          isPersonal: true,
          dataGrade: 'important',
        }),
        str('handler', '承办部门', 100, (c) => c.rng.pick(DEPARTMENT_NAMES)),
        choice('result', '办理结果', ['已解决', '已解决', '已答复', '部分解决', '未解决']),
        choice('satisfaction', '满意度', ['满意', '满意', '基本满意', '不满意']),
      ],
      nature: 'personal',
      cycle: 'realtime',
      fn: 3,
      records: 400,
      pinned: true,
      source: '12345政务服务便民热线系统',
    },
    {
      name: '政务服务办件信息',
      theme: 'government',
      keywords: ['办件', '办理进度', '政务服务'],
      abstract: '依申请政务服务事项的受理、审批和办结记录。',
      items: [
        serialKey('case_number', '办件编号', 'BJ'),
        str('matter_name', '事项名称', 200, (c) => c.rng.pick(MATTERS)),
        str('applicant', '申请人', 100, (c) => c.personName(), { isPersonal: true }),
        datetime('accepted_at', '受理时间', 0, 365),
        choice('status', '办理状态', ['已受理', '审批中', '已办结', '不予受理']),
      ],
      nature: 'personal',
      cycle: 'realtime',
      fn: 2,
    },
    {
      name: '电子证照目录',
      theme: 'e-license',
      keywords: ['电子证照', '证照目录', '亮证'],
      abstract: '电子证照库归集的证照类型、发证部门、证照数量和应用场景。',
      items: [
        key(str('licence_type', '证照类型', 100, (c) => c.nth(LICENCE_TYPES)[0])),
        str('issuer', '发证部门', 100, (c) => c.nth(LICENCE_TYPES)[1]),
        // 杭州 has about 12.5 million residents (10 000 × 1 250)
        item(
          'count',
          '证照数量',
          'integer',
          (c) => Math.round(c.nth(LICENCE_TYPES)[2] * 1250 * c.rng.float(0.9, 1.1, 3)),
          {
            unit: '张',
          },
        ),
        str('scenarios', '应用场景', 300, (c) =>
          c.rng.sample(SCENARIOS, c.rng.int(2, 4)).join('、'),
        ),
      ],
      nature: 'public',
      cycle: 'monthly',
      records: 20,
      fn: 4,
    },
    {
      name: '政务服务中心（便民服务网点）名录',
      theme: 'government',
      keywords: ['办事大厅', '政务服务中心', '便民服务中心', '网点'],
      abstract: '市、区、街道三级政务服务中心和便民服务网点的地址、办公时间和可办事项。',
      items: [
        key(
          str('hall_name', '服务中心名称', 100, (c) =>
            c.rng.chance(0.1)
              ? `杭州市${c.districtInfo().name}行政服务中心`
              : `${c.districtInfo().name}${c.street()}便民服务中心`,
          ),
        ),
        ...locationBlock(),
        str('hours', '办公时间', 50, OFFICE_HOURS),
        officePhone(),
      ],
      nature: 'public',
      cycle: 'quarterly',
      records: 40,
      format: 'geo',
      fn: 2,
    },
    {
      name: '公共数据共享申请记录',
      theme: 'government',
      keywords: ['数据共享', '共享申请', '数据调用'],
      abstract: '各部门通过公共数据平台申请共享数据的记录、用途和审批结果。',
      items: [
        serialKey('request_number', '申请编号', 'SQ'),
        str('consumer', '申请部门', 100),
        str('resource', '申请资源', 200),
        str('purpose', '用途', 500),
        choice('result', '审批结果', ['同意', '不同意', '审批中']),
      ],
      nature: 'business',
      cycle: 'daily',
      fn: 1,
    },
    {
      name: '政务服务“好差评”信息',
      theme: 'government',
      keywords: ['好差评', '评价', '满意度'],
      abstract: '办事群众对政务服务的评价等级和差评整改情况。',
      items: [
        str('matter_name', '事项名称', 200),
        choice('grade', '评价等级', ['非常满意', '满意', '基本满意', '不满意', '非常不满意']),
        date('rated_on', '评价日期', 0, 365),
        bool('rectified', '差评是否整改', 0.9),
      ],
      nature: 'statistics',
      cycle: 'daily',
      fn: 2,
    },
    {
      name: '公共数据质量问题清单',
      theme: 'government',
      keywords: ['数据质量', '数据治理', '问题数据'],
      abstract: '公共数据平台发现的数据质量问题、责任部门和整改状态。',
      items: [
        serialKey('issue_number', '问题编号', 'ZL'),
        str('resource', '资源名称', 200),
        str('department', '责任部门', 100, (c) => c.rng.pick(DEPARTMENT_NAMES)),
        choice('kind', '问题类型', ['空值', '格式错误', '重复', '逻辑矛盾', '更新不及时']),
        choice('status', '整改状态', ['待整改', '整改中', '已整改']),
      ],
      nature: 'business',
      cycle: 'weekly',
      fn: 0,
    },
  ],
};

export const GOVERNMENT_OFFICE: DepartmentProfile = {
  functions: [
    '负责区政府重要文件起草、政府信息公开和政务公开工作',
    '负责区政府重大行政决策事项的组织协调工作',
    '负责区政务服务中心和基层便民服务管理工作',
    '负责区政府重点工作督查督办',
  ],
  resources: [
    {
      name: '西湖区政府信息公开目录',
      theme: 'government',
      keywords: ['政府信息公开', '政务公开', '信息公开'],
      abstract: '西湖区人民政府及其部门主动公开的政府信息目录。',
      items: [
        str(
          'title',
          '信息名称',
          300,
          (c) =>
            `关于${c.rng.pick(WESTLAKE_TOPICS)}${c.rng.pick(['工作的通知', '实施方案的公示', '项目的公告', '情况的报告', '资金安排的公示'])}`,
        ),
        str('publisher', '发布机构', 100, (c) => c.rng.pick(WESTLAKE_AGENCIES)),
        date('published_on', '发布日期', 0, 2000),
        key(
          str(
            'index_number',
            '索引号',
            50,
            (c) => `002489234/${c.asOf.getUTCFullYear()}-${String(c.index + 1).padStart(5, '0')}`,
          ),
        ),
      ],
      nature: 'public',
      cycle: 'daily',
      records: 200,
      format: 'document',
      fn: 0,
    },
    {
      name: '西湖区重大行政决策事项目录',
      theme: 'government',
      keywords: ['重大行政决策', '决策事项', '听证'],
      abstract: '西湖区年度重大行政决策事项目录、承办单位和公众参与方式。',
      items: [
        key(
          str(
            'matter',
            '决策事项',
            200,
            (c) =>
              `${c.rng.pick(['制定', '修订', '实施'])}西湖区${c.rng.pick(WESTLAKE_TOPICS)}${c.rng.pick(['三年行动计划', '实施方案', '专项规划', '管理办法'])}`,
          ),
        ),
        str('undertaker', '承办单位', 100, (c) => c.rng.pick(WESTLAKE_AGENCIES)),
        str('participation', '公众参与方式', 100, (c) =>
          c.rng.pick(['网上征求意见', '听证会', '座谈会', '问卷调查', '网上征求意见、座谈会']),
        ),
        date('planned_on', '计划完成时间', -365, 0),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 50,
      format: 'document',
      fn: 1,
    },
    {
      name: '西湖区行政规范性文件',
      theme: 'government',
      keywords: ['规范性文件', '政策文件', '文件'],
      abstract: '西湖区人民政府及办公室印发的行政规范性文件及有效性。',
      items: [
        str(
          'title',
          '文件名称',
          300,
          (c) =>
            `杭州市西湖区${c.rng.pick(WESTLAKE_TOPICS)}${c.rng.pick(['管理办法', '实施细则', '若干意见', '实施办法', '暂行规定'])}`,
        ),
        key(
          str('document_number', '文号', 50, (c) => {
            const issued = c.keep('issued', c.dateDaysAgo(0, 3000));
            return `西政办发〔${issued.slice(0, 4)}〕${c.index + 1}号`;
          }),
        ),
        item('issued_on', '印发日期', 'date', (c) => c.kept('issued')),
        bool('valid', '是否有效', 0.85),
      ],
      nature: 'public',
      cycle: 'monthly',
      records: 60,
      format: 'document',
      fn: 0,
    },
    {
      name: '西湖区便民服务中心名录',
      theme: 'government',
      keywords: ['便民服务中心', '办事', '街道'],
      abstract: '西湖区各街道（镇）便民服务中心和村（社区）代办点的地址与办公时间。',
      items: [
        key(
          str('name', '名称', 100, (c) =>
            c.rng.chance(0.2)
              ? `西湖区${c.street()}便民服务中心`
              : `${c.locality()}${c.rng.pick(['翠苑', '文新', '古荡', '府苑', '竞舟', '嘉绿', '西溪', '留下'])}${c.rng.pick(['一', '二', '三', '新'])}社区代办点`,
          ),
        ),
        placeAddress(),
        str('hours', '办公时间', 50, OFFICE_HOURS),
        officePhone(),
      ],
      nature: 'public',
      cycle: 'quarterly',
      records: 60,
      fn: 2,
    },
    {
      name: '西湖区人大代表建议和政协提案办理情况',
      theme: 'government',
      keywords: ['人大建议', '政协提案', '办理答复'],
      abstract: '区人大代表建议和区政协委员提案的承办单位、办理答复和办理结果。',
      items: [
        key(
          str(
            'number',
            '建议（提案）号',
            20,
            (c) => `${c.index % 3 === 0 ? '提案' : '建议'}第${Math.floor(c.index / 3) + 1}号`,
          ),
        ),
        str(
          'title',
          '标题',
          300,
          (c) =>
            `关于${c.rng.pick(['加快', '推进', '优化', '加强', '完善'])}${c.rng.pick(WESTLAKE_TOPICS)}的${c.index % 3 === 0 ? '提案' : '建议'}`,
        ),
        str('undertaker', '承办单位', 100, (c) => c.rng.pick(WESTLAKE_AGENCIES)),
        choice('result', '办理结果', ['已解决或采纳', '列入计划逐步解决', '留作参考']),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 120,
      format: 'document',
    },
  ],
};

const AUCTION_KINDS: readonly (readonly [string, number])[] = [
  ['住宅', 6],
  ['车辆', 3],
  ['股权', 1],
];

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '朱',
  '胡',
  '沈',
];
const PROSECUTION_CASES: readonly (readonly [string, string])[] = [
  ['刑事检察', '帮助信息网络犯罪活动案提起公诉'],
  ['刑事检察', '电信网络诈骗案提起公诉'],
  ['刑事检察', '危险驾驶案提起公诉'],
  ['刑事检察', '非法吸收公众存款案提起公诉'],
  ['民事检察', '虚假诉讼监督案'],
  ['民事检察', '支持农民工讨薪起诉案'],
  ['行政检察', '行政非诉执行监督案'],
  ['公益诉讼', '饮用水水源地保护公益诉讼案'],
  ['公益诉讼', '个人信息保护公益诉讼案'],
  ['公益诉讼', '食品安全公益诉讼案'],
];

const NOTARY_OFFICES = [
  '杭州',
  '钱塘',
  '西湖',
  '之江',
  '国信',
  '东方',
  '萧山',
  '余杭',
  '临平',
  '富阳',
  '临安',
  '桐庐',
  '淳安',
  '建德',
  '湖滨',
  '武林',
  '城东',
  '滨江',
  '良渚',
  '江南',
];
const NOTARY_SCOPES = [
  '继承',
  '委托',
  '声明',
  '赠与',
  '遗嘱',
  '合同',
  '保全证据',
  '提存',
  '涉外公证',
  '学历学位',
  '亲属关系',
];
const FORENSIC_SCOPES = [
  '法医临床鉴定',
  '法医病理鉴定',
  '法医物证鉴定',
  '法医毒物鉴定',
  '文书鉴定',
  '痕迹鉴定',
  '声像资料鉴定',
  '环境损害鉴定',
];
/** [项目, 类别, 级别]: one record each */
const HERITAGE: readonly (readonly [string, string, string])[] = [
  ['西湖绿茶制作技艺（西湖龙井）', '传统技艺', '国家级'],
  ['张小泉剪刀锻制技艺', '传统技艺', '国家级'],
  ['杭州织锦技艺', '传统技艺', '国家级'],
  ['杭绣', '传统美术', '国家级'],
  ['王星记制扇技艺', '传统技艺', '国家级'],
  ['杭州评话', '曲艺', '国家级'],
  ['小热昏', '曲艺', '国家级'],
  ['杭剧', '传统戏剧', '省级'],
  ['西湖传说', '民俗', '国家级'],
  ['胡庆余堂中药文化', '传统技艺', '国家级'],
  ['萧山花边制作技艺', '传统美术', '省级'],
  ['余杭滚灯', '民俗', '国家级'],
  ['径山茶宴', '民俗', '国家级'],
  ['楼塔细十番', '曲艺', '国家级'],
  ['天竺筷制作技艺', '传统技艺', '省级'],
  ['富阳竹纸制作技艺', '传统技艺', '国家级'],
  ['淳安竹马', '民俗', '省级'],
  ['桐庐剪纸', '传统美术', '省级'],
  ['杭州摊簧', '曲艺', '省级'],
  ['五常十八般武艺', '民俗', '省级'],
  ['余杭清水丝绵制作技艺', '传统技艺', '国家级'],
  ['西湖全书刻印技艺', '传统技艺', '市级'],
  ['临安天目笋干制作技艺', '传统技艺', '市级'],
  ['杭州小笼包制作技艺', '传统技艺', '市级'],
];
const MUSEUMS: readonly (readonly [string, string])[] = [
  ['浙江省博物馆', '国有'],
  ['中国丝绸博物馆', '国有'],
  ['中国茶叶博物馆', '国有'],
  ['杭州博物馆', '国有'],
  ['杭州南宋官窑博物馆', '国有'],
  ['胡庆余堂中药博物馆', '非国有'],
  ['中国京杭大运河博物馆', '国有'],
  ['杭州工艺美术博物馆', '国有'],
  ['中国刀剪剑博物馆', '国有'],
  ['中国伞博物馆', '国有'],
  ['中国扇博物馆', '国有'],
  ['良渚博物院', '国有'],
  ['浙江自然博物院', '国有'],
  ['西湖博物馆总馆', '国有'],
  ['跨湖桥遗址博物馆', '国有'],
  ['中国湿地博物馆', '国有'],
  ['中国印学博物馆', '国有'],
  ['中国财税博物馆', '国有'],
  ['中国动漫博物馆', '国有'],
  ['杭州消防博物馆', '国有'],
  ['杭州萧山博物馆', '国有'],
  ['余杭博物馆', '国有'],
  ['富阳博物馆', '国有'],
  ['杭州国际友好城市艺术馆', '非国有'],
];

const LIBRARY_KINDS: readonly (readonly [string, number])[] = [
  ['总馆', 1],
  ['分馆', 5],
  ['城市书房', 6],
];
const MEDIATION_KINDS: readonly (readonly [string, number])[] = [
  ['街道调委会', 2],
  ['村居调委会', 6],
  ['行业性专业性调委会', 1],
];

export const COURT: DepartmentProfile = {
  functions: [
    '依法审理辖区内刑事、民事、行政等各类案件',
    '负责生效裁判文书的执行和失信被执行人名单管理',
    '负责司法公开和审判流程信息公开',
    '负责司法拍卖和涉诉财产处置工作',
  ],
  resources: [
    {
      name: '裁判文书信息',
      theme: 'justice',
      keywords: ['裁判文书', '判决书', '判决', '案例'],
      abstract:
        '依法公开的生效裁判文书，包括案号、案由、审理程序、裁判日期和文书正文（已作隐名处理）。',
      items: [
        serialKey('case_number', '案号', '（2026）浙01民终'),
        choice('cause', '案由', [
          '民间借贷纠纷',
          '买卖合同纠纷',
          '劳动争议',
          '机动车交通事故责任纠纷',
          '房屋租赁合同纠纷',
          '离婚纠纷',
        ]),
        choice('procedure', '审理程序', ['一审', '二审', '再审']),
        date('judged_on', '裁判日期', 0, 1500),
        str('text', '文书正文', 100000),
      ],
      nature: 'public',
      open: 'conditional',
      cycle: 'daily',
      format: 'document',
      fn: 0,
      records: 300,
      pinned: true,
    },
    {
      name: '失信被执行人名单',
      theme: 'credit',
      keywords: ['失信被执行人', '老赖', '黑名单', '执行'],
      abstract:
        '被人民法院依法纳入失信被执行人名单的自然人和单位，包括执行依据、失信情形和发布日期。',
      items: [
        serialKey('case_number', '执行案号', '（2026）浙01执'),
        // three in five are people (their ID numbers published masked), the rest companies
        str(
          'name',
          '被执行人姓名/名称',
          200,
          (c) => (c.index % 5 < 3 ? c.person().name : c.enterprise().name),
          { isRequired: true },
        ),
        str(
          'identifier',
          '身份证号码（隐去出生月日）/统一社会信用代码',
          18,
          (c) =>
            c.index % 5 < 3
              ? `${c.person().idNumber.slice(0, 10)}****${c.person().idNumber.slice(14)}`
              : c.enterprise().creditCode,
          { isPersonal: true },
        ),
        str('basis', '执行依据文号', 50),
        choice('situation', '失信被执行人行为具体情形', [
          '有履行能力而拒不履行生效法律文书确定义务',
          '违反财产报告制度',
          '违反限制消费令',
          '以伪造证据、暴力、威胁等方法妨碍抗拒执行',
        ]),
        date('published_on', '发布日期', 0, 1500),
      ],
      nature: 'public',
      cycle: 'daily',
      fn: 1,
      records: 400,
      pinned: true,
    },
    {
      name: '限制消费人员名单',
      theme: 'credit',
      keywords: ['限制高消费', '限高', '执行'],
      abstract: '被人民法院采取限制消费措施的被执行人及限制消费令发布日期。',
      items: [
        serialKey('case_number', '执行案号', '（2026）浙01执'),
        str('name', '被执行人', 200, (c) => c.personName()),
        str('court', '执行法院', 50, () => '杭州市中级人民法院'),
        date('issued_on', '发布日期', 0, 1000),
      ],
      nature: 'public',
      cycle: 'daily',
      records: 150,
      fn: 1,
    },
    {
      name: '开庭公告',
      theme: 'justice',
      keywords: ['开庭公告', '庭审', '开庭'],
      abstract: '人民法院公开审理案件的开庭时间、法庭、案由和当事人。',
      items: [
        serialKey('case_number', '案号', '（2026）浙01民初'),
        datetime('hearing_at', '开庭时间', -30, 0),
        str('courtroom', '法庭', 30, (c) => `第${c.rng.int(1, 30)}法庭`),
        choice('cause', '案由', ['合同纠纷', '知识产权纠纷', '金融借款合同纠纷', '行政诉讼']),
        str('parties', '当事人', 300, (c) => `${c.enterprise().name}与${c.personName()}`),
      ],
      nature: 'public',
      cycle: 'daily',
      fn: 2,
      records: 200,
      pinned: true,
    },
    {
      name: '司法拍卖信息',
      theme: 'justice',
      keywords: ['司法拍卖', '法拍房', '拍卖'],
      abstract: '人民法院网络司法拍卖的标的物、起拍价、评估价和拍卖时间。',
      items: [
        serialKey('auction_id', '拍卖编号', 'PM'),
        str('object', '标的物', 200, (c) => {
          const kind = c.keep('kind', c.rng.weighted(AUCTION_KINDS));
          return kind === '住宅'
            ? `${c.address()}房产`
            : kind === '车辆'
              ? `${c.rng.pick(['大众', '丰田', '本田', '别克', '宝马', '奔驰', '比亚迪'])}牌小型轿车一辆（浙A${String(c.rng.int(10000, 99999))}）`
              : `${c.enterprise().name}${c.rng.int(5, 100)}%股权`;
        }),
        // the first auction starts at about 70 % of the appraisal (一拍起拍价不低于评估价的七成)
        item(
          'start_price',
          '起拍价',
          'number',
          (c) => {
            const range: Record<string, [number, number]> = {
              住宅: [150, 1500],
              车辆: [3, 40],
              股权: [50, 3000],
            };
            const [min, max] = range[c.kept('kind') as string]!;
            const appraisal = c.keep('appraisal', c.rng.float(min, max, 2));
            return Math.round(appraisal * c.rng.float(0.7, 0.8, 2) * 100) / 100;
          },
          { unit: '万元' },
        ),
        item('appraisal', '评估价', 'number', (c) => c.kept('appraisal'), { unit: '万元' }),
        datetime('starts_at', '拍卖开始时间', -60, 60),
      ],
      nature: 'public',
      cycle: 'daily',
      records: 100,
      fn: 3,
    },
    {
      name: '执行案件信息',
      theme: 'justice',
      keywords: ['执行案件', '执行', '执行款'],
      abstract: '执行案件的立案、执行标的、执行措施和结案方式。',
      items: [
        serialKey('case_number', '执行案号', '（2026）浙01执'),
        num('target', '执行标的', 0.1, 5000, '万元', 2),
        str('measures', '执行措施', 200),
        choice('closing', '结案方式', ['执行完毕', '终结本次执行', '终结执行']),
      ],
      nature: 'business',
      cycle: 'daily',
      fn: 1,
    },
    {
      name: '涉未成年人案件信息',
      theme: 'justice',
      keywords: ['未成年人', '案件', '犯罪记录封存'],
      abstract: '涉及未成年人的刑事案件审理信息及犯罪记录封存情况。',
      items: [
        ...personBlock(),
        str('case_number', '案号', 50),
        str('charge', '罪名', 50),
        bool('sealed', '是否封存', 1),
      ],
      nature: 'restricted',
      legalBasis: LAW.criminalRecords,
      cycle: 'irregular',
      fn: 0,
    },
    {
      name: '家事案件当事人信息',
      theme: 'justice',
      keywords: ['家事案件', '离婚诉讼', '抚养'],
      abstract: '离婚、抚养、继承等家事案件当事人及未成年子女信息。',
      items: [
        ...personBlock(),
        str('case_number', '案号', 50),
        choice('cause', '案由', ['离婚纠纷', '抚养纠纷', '继承纠纷']),
      ],
      nature: 'restricted',
      legalBasis: LAW.personalInformation,
      cycle: 'daily',
      fn: 0,
    },
  ],
};

export const PROCURATORATE: DepartmentProfile = {
  functions: [
    '负责刑事案件审查逮捕、审查起诉和出庭支持公诉',
    '负责民事、行政诉讼活动法律监督',
    '负责公益诉讼检察工作',
    '负责检务公开和案件信息公开工作',
  ],
  resources: [
    {
      name: '公益诉讼案件信息',
      theme: 'justice',
      keywords: ['公益诉讼', '生态环境保护', '食品药品安全'],
      abstract: '检察机关办理的生态环境和资源保护、食品药品安全等领域公益诉讼案件及办理结果。',
      items: [
        serialKey('case_number', '案件编号', '杭检民公'),
        choice('field', '案件领域', [
          '生态环境和资源保护',
          '食品药品安全',
          '国有财产保护',
          '英烈权益保护',
          '个人信息保护',
        ]),
        choice('stage', '办理阶段', ['诉前检察建议', '提起诉讼', '结案']),
        date('filed_on', '立案日期', 0, 1500),
      ],
      nature: 'public',
      cycle: 'monthly',
      records: 80,
      fn: 2,
    },
    {
      name: '案件程序性信息',
      theme: 'justice',
      keywords: ['案件查询', '程序性信息', '检察'],
      abstract:
        '向案件当事人及其法定代理人、辩护人提供的案件受理、办理期限和办理结果等程序性信息。',
      items: [
        serialKey('case_number', '案件编号', '杭检刑诉'),
        str('suspect', '犯罪嫌疑人', 50, (c) => c.personName(), { isPersonal: true }),
        choice('stage', '办理环节', ['审查逮捕', '审查起诉', '提起公诉', '不起诉']),
        date('accepted_on', '受理日期', 0, 700),
      ],
      nature: 'personal',
      cycle: 'daily',
      fn: 3,
    },
    {
      name: '重要案件信息发布',
      theme: 'justice',
      keywords: ['重要案件', '典型案例', '检察'],
      abstract: '社会广泛关注的重要案件办理情况和典型案例发布。',
      items: [
        key(
          str('title', '标题', 200, (c) => {
            const [category, matter] = c.keep('case', c.rng.pick(PROSECUTION_CASES));
            return `${c.districtInfo().name}人民检察院${category === '刑事检察' ? '依法对' : '办理'}${c.rng.pick(SURNAMES)}某等${matter}`;
          }),
        ),
        str(
          'category',
          '案件类别',
          12,
          (c) => (c.kept('case') as (typeof PROSECUTION_CASES)[number])[0],
        ),
        date('published_on', '发布日期', 0, 1500),
        str('summary', '内容摘要', 2000, (c) => {
          const [category] = c.kept('case') as (typeof PROSECUTION_CASES)[number];
          return category === '刑事检察'
            ? `检察机关经审查认为，犯罪嫌疑人的行为已触犯刑法，依法提起公诉。法院采纳检察机关全部量刑建议，判处有期徒刑${c.rng.int(1, 10)}年，并处罚金。`
            : `检察机关依法履职，向有关单位制发检察建议${c.rng.int(1, 5)}份，督促整改问题，相关单位已按期书面回复并整改到位。`;
        }),
      ],
      nature: 'public',
      cycle: 'irregular',
      records: 60,
      format: 'document',
      fn: 3,
    },
    {
      name: '检察建议信息',
      theme: 'justice',
      keywords: ['检察建议', '社会治理', '监督'],
      abstract: '检察机关制发的社会治理类和诉讼监督类检察建议及被建议单位回复情况。',
      items: [
        serialKey('document_number', '文号', '杭检建'),
        str('recipient', '被建议单位', 100),
        str('subject', '建议事项', 500),
        bool('replied', '是否回复', 0.9),
      ],
      nature: 'business',
      cycle: 'monthly',
      fn: 1,
    },
    {
      name: '刑事案件审查起诉统计',
      theme: 'justice',
      keywords: ['刑事案件', '起诉', '检察统计'],
      abstract: '按罪名和月份统计的受理审查起诉、起诉和不起诉人数。',
      items: [
        str('month', '月份', 7),
        str('charge', '罪名', 50),
        int('accepted', '受理人数', 0, 500, '人'),
        int('prosecuted', '起诉人数', 0, 400, '人'),
      ],
      nature: 'statistics',
      cycle: 'monthly',
      format: 'spreadsheet',
      fn: 0,
    },
    {
      name: '未成年人检察案件信息',
      theme: 'justice',
      keywords: ['未成年人检察', '附条件不起诉'],
      abstract: '涉未成年人刑事案件的审查、附条件不起诉和帮教信息。',
      items: [
        ...personBlock(),
        str('case_number', '案件编号', 50),
        choice('decision', '处理决定', ['附条件不起诉', '起诉', '不起诉']),
      ],
      nature: 'restricted',
      legalBasis: LAW.minors,
      cycle: 'monthly',
      fn: 0,
    },
  ],
};

export const JUSTICE: DepartmentProfile = {
  functions: [
    '负责全市律师、公证、司法鉴定等法律服务机构和人员管理',
    '负责全市法律援助工作',
    '负责全市人民调解工作的指导和管理',
    '负责全市社区矫正工作',
    '负责全市行政复议和行政规范性文件备案审查工作',
  ],
  resources: [
    {
      name: '律师事务所名录',
      theme: 'justice',
      keywords: ['律所', '律师事务所', '法律服务', '找律师'],
      abstract: '全市律师事务所的名称、执业许可证号、负责人、地址、执业律师人数和年度考核结果。',
      items: [
        serialKey('licence_number', '执业许可证号', '3330100'),
        str('firm_name', '律师事务所名称', 100, (c) =>
          `浙江${c.rng.pick(['天册', '六和', '京衡', '泽大', '浙经', '金道', '观成', '星韵'])}${c.rng.pick(['', '（杭州）', '律师事务所西湖分所'])}律师事务所`.replace(
            '律师事务所西湖分所律师事务所',
            '律师事务所西湖分所',
          ),
        ),
        str('director', '负责人', 50, (c) => c.personName()),
        ...locationBlock(),
        int('lawyers', '执业律师人数', 3, 500, '人'),
        choice('assessment', '年度考核结果', ['合格', '合格', '基本合格']),
      ],
      nature: 'register',
      cycle: 'monthly',
      format: 'geo',
      fn: 0,
      records: 200,
      pinned: true,
    },
    {
      name: '执业律师信息',
      theme: 'justice',
      keywords: ['律师', '执业律师', '律师执业证'],
      abstract: '执业律师姓名、执业证号、执业机构和执业状态。',
      items: [
        serialKey('licence_number', '执业证号', '13301'),
        str('name', '姓名', 50, (c) => c.personName()),
        str('firm', '执业机构', 100),
        choice('status', '执业状态', ['正常', '暂停执业', '注销']),
      ],
      nature: 'register',
      cycle: 'monthly',
      fn: 0,
    },
    {
      name: '公证机构名录',
      theme: 'justice',
      keywords: ['公证处', '公证', '法律服务'],
      abstract: '全市公证机构名称、地址、联系电话和业务范围。',
      items: [
        key(str('name', '公证机构名称', 100, (c) => `浙江省杭州市${c.nth(NOTARY_OFFICES)}公证处`)),
        placeAddress(),
        officePhone(),
        str('scope', '业务范围', 300, (c) =>
          c.rng.sample(NOTARY_SCOPES, c.rng.int(3, 6)).join('、'),
        ),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 20,
      fn: 0,
    },
    {
      name: '司法鉴定机构名录',
      theme: 'justice',
      keywords: ['司法鉴定', '鉴定机构', '伤残鉴定'],
      abstract: '经登记的司法鉴定机构名称、许可证号和鉴定业务范围。',
      items: [
        serialKey('licence_number', '许可证号', '33010'),
        key(str('name', '机构名称', 100, (c) => `浙江${c.firm('').slice(2)}司法鉴定所`)),
        str('scope', '业务范围', 300, (c) =>
          c.rng.sample(FORENSIC_SCOPES, c.rng.int(1, 4)).join('、'),
        ),
        officePhone(),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 40,
      fn: 0,
    },
    {
      name: '法律援助案件信息',
      theme: 'justice',
      keywords: ['法律援助', '援助律师', '免费法律服务'],
      abstract: '法律援助申请、指派和结案信息。',
      items: [
        serialKey('case_number', '援助案号', 'FY'),
        ...personBlock(),
        choice('case_type', '案件类型', ['劳动争议', '婚姻家庭', '交通事故', '刑事辩护']),
        str('lawyer', '承办律师', 50, (c) => c.personName()),
        choice('status', '办理状态', ['已指派', '办理中', '已结案']),
      ],
      nature: 'personal',
      cycle: 'weekly',
      fn: 1,
    },
    {
      name: '人民调解组织名录',
      theme: 'justice',
      keywords: ['人民调解', '调解委员会', '纠纷调解'],
      abstract: '街道、社区和行业性专业性人民调解委员会的名称、地址和联系方式。',
      items: [
        key(
          str('name', '调解组织名称', 100, (c) => {
            const kind = c.keep('kind', c.rng.weighted(MEDIATION_KINDS));
            return kind === '街道调委会'
              ? `${c.districtInfo().name}${c.street()}人民调解委员会`
              : kind === '村居调委会'
                ? `${c.locality()}${c.rng.pick(['翠苑', '文新', '古荡', '府苑', '竞舟', '嘉绿', '西溪', '留下', '和睦', '湖滨'])}${c.rng.pick(['一', '二', '三', '新'])}社区人民调解委员会`
                : `${c.districtInfo().name}${c.rng.pick(['医疗纠纷', '道路交通事故', '物业纠纷', '劳动争议', '婚姻家庭'])}人民调解委员会`;
          }),
        ),
        str('kind', '类别', 20, (c) => c.kept('kind')),
        placeAddress(),
        officePhone(),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 120,
      fn: 2,
    },
    {
      name: '社区矫正对象信息',
      theme: 'justice',
      keywords: ['社区矫正', '矫正对象'],
      abstract: '社区矫正对象的基本情况、矫正类别、矫正期限和执行地。',
      items: [
        ...personBlock(),
        choice('category', '矫正类别', ['管制', '缓刑', '假释', '暂予监外执行']),
        date('start_on', '矫正起始日期', 0, 1500),
        date('end_on', '矫正截止日期', -1500, 0),
      ],
      nature: 'restricted',
      legalBasis: LAW.personalInformation,
      cycle: 'weekly',
      fn: 3,
    },
    {
      name: '行政复议决定信息',
      theme: 'justice',
      keywords: ['行政复议', '复议决定'],
      abstract: '市政府行政复议机构作出的行政复议决定书（已隐名处理）。',
      items: [
        serialKey('decision_number', '决定书文号', '杭政复'),
        str('respondent', '被申请人', 100),
        choice('result', '复议结果', ['维持', '撤销', '确认违法', '驳回']),
        date('decided_on', '决定日期', 0, 1500),
      ],
      nature: 'register',
      cycle: 'weekly',
      fn: 4,
    },
    {
      name: '强制隔离戒毒人员信息',
      theme: 'justice',
      keywords: ['戒毒', '强制隔离戒毒'],
      abstract: '强制隔离戒毒人员的收治、诊断评估和解除信息。',
      items: [
        ...personBlock(),
        date('admitted_on', '收治日期', 0, 1500),
        date('release_on', '解除日期', -700, 0),
        str('facility', '戒毒场所', 100),
      ],
      nature: 'restricted',
      legalBasis: LAW.drugControl,
      cycle: 'monthly',
      fn: 3,
    },
  ],
};

const SCENIC = Array.from(
  { length: 20 },
  (_, i) =>
    [
      `JQ${String(i + 1).padStart(3, '0')}`,
      [
        '西湖风景名胜区',
        '灵隐飞来峰',
        '西溪国家湿地公园',
        '千岛湖',
        '宋城',
        '杭州动物园',
        '湘湖旅游度假区',
        '良渚古城遗址公园',
        '京杭大运河杭州段',
        '杭州植物园',
        '河坊街',
        '六和塔',
        '雷峰塔',
        '九溪烟树',
        '杭州野生动物世界',
        '超山',
        '径山寺',
        '天目山',
        '瑶琳仙境',
        '钱江新城灯光秀',
      ][i]!,
    ] as const,
);
const scenicSeries = hourlySeries(SCENIC);

export const CULTURE_TOURISM: DepartmentProfile = {
  functions: [
    '负责全市旅游景区质量等级评定和旅游市场监督管理',
    '负责全市公共文化服务体系建设和公共文化设施管理',
    '负责全市文物保护和非物质文化遗产保护传承工作',
    '负责全市旅行社和星级饭店的行业管理',
    '负责全市广播电视和网络视听节目管理',
  ],
  resources: [
    {
      name: 'A级旅游景区名录',
      theme: 'culture-tourism',
      keywords: ['景区', '景点', '旅游', '5A景区', '4A景区'],
      abstract: '全市A级旅游景区的名称、等级、地址、开放时间、门票价格和最大承载量。',
      items: [
        serialKey('scenic_code', '景区编号', 'JQ'),
        str(
          'scenic_name',
          '景区名称',
          100,
          (c) =>
            SCENIC[c.index]?.[1] ??
            `${c.districtInfo().name}${c.rng.pick(['湿地公园', '森林公园', '古镇', '农业观光园', '文化创意园'])}`,
        ),
        choice('grade', '景区等级', ['5A', '4A', '4A', '3A']),
        ...locationBlock(),
        str('opening_hours', '开放时间', 50, () => '08:00-17:30'),
        int('ticket', '门票价格', 0, 300, '元'),
        int('capacity', '最大承载量', 2000, 120000, '人次/日'),
      ],
      nature: 'public',
      cycle: 'yearly',
      format: 'geo',
      fn: 0,
      records: 50,
      pinned: true,
    },
    {
      name: '景区客流量实时数据',
      theme: 'culture-tourism',
      keywords: ['客流', '人流量', '景区', '拥挤度'],
      abstract: '主要景区逐小时在园人数、入园人数和舒适度，为游客错峰出游提供参考。',
      items: [
        readingKey('count_id', '统计记录编号', (c) => scenicSeries.station(c)[0], scenicSeries.at),
        str('scenic_code', '景区编号', 10, (c) => scenicSeries.station(c)[0], { isRequired: true }),
        str('scenic_name', '景区名称', 100, (c) => scenicSeries.station(c)[1]),
        item('hour_start', '统计时段', 'datetime', scenicSeries.at, { isRequired: true }),
        int('visitors_in_park', '在园人数', 0, 60000, '人'),
        int('entries', '入园人数', 0, 20000, '人'),
        choice('comfort', '舒适度', ['舒适', '舒适', '较舒适', '一般', '较拥挤', '拥挤']),
      ],
      nature: 'public',
      cycle: 'realtime',
      format: 'stream',
      fn: 0,
      records: 480,
      pinned: true,
    },
    {
      name: '旅行社名录',
      theme: 'culture-tourism',
      keywords: ['旅行社', '旅游', '出境游'],
      abstract: '全市旅行社的名称、许可证号、经营范围和质量保证金情况。',
      items: [
        serialKey('licence_number', '旅行社业务经营许可证号', 'L-ZJ-'),
        enterpriseName('旅行社名称', 'agency_name'),
        creditCode(),
        choice('scope', '经营范围', ['国内旅游和入境旅游', '国内旅游、入境旅游和出境旅游']),
        placeAddress(),
        officePhone(),
      ],
      nature: 'register',
      cycle: 'monthly',
      fn: 3,
      records: 200,
      pinned: true,
    },
    {
      name: '星级饭店名录',
      theme: 'culture-tourism',
      keywords: ['星级酒店', '饭店', '酒店'],
      abstract: '全市星级饭店名称、星级、地址和客房数。',
      items: [
        key(
          str('hotel_name', '饭店名称', 100, (c) =>
            c.firm(c.rng.pick(['大酒店', '饭店', '宾馆', '国际酒店', '度假酒店'])),
          ),
        ),
        str('stars', '星级', 10, (c) =>
          c.keep(
            'stars',
            c.rng.weighted([
              ['五星级', 2],
              ['四星级', 4],
              ['三星级', 5],
            ] as const),
          ),
        ),
        placeAddress(),
        intByKind(
          'rooms',
          '客房数',
          'stars',
          { 五星级: [250, 800], 四星级: [150, 450], 三星级: [80, 250] },
          '间',
        ),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 80,
      fn: 3,
    },
    {
      name: '公共图书馆名录',
      theme: 'culture-tourism',
      keywords: ['图书馆', '借书', '公共文化'],
      abstract: '市、区公共图书馆和分馆、城市书房的地址、开放时间和馆藏量。',
      items: [
        key(
          str('library_name', '图书馆名称', 100, (c) => {
            const kind = c.keep('kind', c.rng.weighted(LIBRARY_KINDS));
            const place = c.locality();
            return kind === '总馆'
              ? `杭州市${c.districtInfo().name}图书馆`
              : kind === '分馆'
                ? `${c.districtInfo().name}图书馆${place}分馆`
                : `${place}${c.rng.pick(['运河', '西溪', '湖畔', '钱塘', '良渚', '之江'])}城市书房`;
          }),
        ),
        str('kind', '类别', 10, (c) => c.kept('kind')),
        ...locationBlock(),
        str('opening_hours', '开放时间', 50, (c) =>
          c.kept('kind') === '城市书房' ? '08:30-21:30' : '周二至周日 9:00-20:30（周一闭馆）',
        ),
        intByKind(
          'holdings',
          '馆藏量',
          'kind',
          { 总馆: [800_000, 5_000_000], 分馆: [30_000, 300_000], 城市书房: [2000, 20_000] },
          '册',
        ),
      ],
      nature: 'public',
      cycle: 'quarterly',
      records: 80,
      format: 'geo',
      fn: 1,
    },
    {
      name: '文物保护单位名录',
      theme: 'culture-tourism',
      keywords: ['文物', '文保单位', '古建筑', '遗址'],
      abstract: '全国、省、市、区县级文物保护单位的名称、级别、年代、类别和地址。',
      items: [
        serialKey('heritage_code', '文物编号', 'WB'),
        str(
          'site_name',
          '名称',
          100,
          (c) =>
            `${c.rng.pick(['胡雪岩', '岳王', '凤凰寺', '钱王', '于谦', '章太炎', '林社', '六和'])}${c.rng.pick(['故居', '祠', '墓', '寺', '塔', '遗址'])}`,
        ),
        choice('level', '保护级别', [
          '全国重点文物保护单位',
          '省级文物保护单位',
          '市级文物保护单位',
          '区县级文物保护单位',
        ]),
        choice('era', '年代', ['宋', '元', '明', '清', '民国', '新石器时代']),
        choice('category', '类别', [
          '古建筑',
          '古遗址',
          '古墓葬',
          '近现代重要史迹及代表性建筑',
          '石窟寺及石刻',
        ]),
        placeAddress(),
      ],
      nature: 'public',
      cycle: 'yearly',
      fn: 2,
      records: 150,
      pinned: true,
    },
    {
      name: '非物质文化遗产代表性项目名录',
      theme: 'culture-tourism',
      keywords: ['非遗', '非物质文化遗产', '传承人'],
      abstract: '国家、省、市级非物质文化遗产代表性项目及代表性传承人。',
      items: [
        key(str('project', '项目名称', 100, (c) => c.nth(HERITAGE)[0])),
        str('category', '类别', 14, (c) => c.nth(HERITAGE)[1]),
        str('level', '级别', 10, (c) => c.nth(HERITAGE)[2]),
        str('inheritor', '代表性传承人', 50, (c) => c.personName()),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 24,
      fn: 2,
    },
    {
      name: '营业性演出许可信息',
      theme: 'culture-tourism',
      keywords: ['演出许可', '演唱会', '营业性演出'],
      abstract: '营业性演出活动的审批文号、演出名称、场所和时间。',
      items: [
        serialKey('approval_number', '批准文号', '杭文旅演'),
        str('title', '演出名称', 200),
        str('venue', '演出场所', 100),
        date('show_date', '演出日期', -90, 365),
      ],
      nature: 'register',
      cycle: 'daily',
      fn: 0,
    },
    {
      name: '博物馆名录',
      theme: 'culture-tourism',
      keywords: ['博物馆', '纪念馆', '展览'],
      abstract: '全市博物馆、纪念馆的名称、性质、地址、开放时间和是否免费。',
      items: [
        key(str('museum_name', '博物馆名称', 100, (c) => c.nth(MUSEUMS)[0])),
        str('nature', '性质', 8, (c) => c.nth(MUSEUMS)[1]),
        ...locationBlock(),
        bool('free', '是否免费开放', 0.8),
      ],
      nature: 'public',
      cycle: 'yearly',
      records: 24,
      format: 'geo',
      fn: 1,
    },
    {
      name: '互联网上网服务营业场所名录',
      theme: 'culture-tourism',
      keywords: ['网吧', '上网服务', '网咖'],
      abstract: '取得网络文化经营许可的互联网上网服务营业场所名称、地址和终端数。',
      items: [
        serialKey('licence_number', '许可证号', '浙网文'),
        str('name', '场所名称', 100),
        placeAddress(),
        int('terminals', '终端数', 30, 300, '台'),
      ],
      nature: 'register',
      cycle: 'quarterly',
      fn: 0,
    },
  ],
};
