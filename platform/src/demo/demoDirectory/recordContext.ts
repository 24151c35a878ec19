import { makeUnifiedSocialCreditCode } from '../../organisation/unifiedSocialCreditCode.ts';
import { DEMO_ID_SEQUENCES, makeIdNumber } from './idNumber.ts';
import type { Random } from './random.ts';

/** Surnames by rough frequency (第七次人口普查 order), so that 王 and 李 are common. */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 70],
  ['李', 68],
  ['张', 65],
  ['刘', 55],
  ['陈', 50],
  ['杨', 35],
  ['黄', 25],
  ['赵', 23],
  ['吴', 22],
  ['周', 21],
  ['徐', 18],
  ['孙', 16],
  ['马', 15],
  ['朱', 14],
  ['胡', 14],
  ['郭', 12],
  ['何', 11],
  ['林', 11],
  ['高', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['邓', 6],
  ['冯', 6],
  ['曹', 6],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['潘', 5],
  ['袁', 4],
  ['蔡', 4],
  ['蒋', 4],
  ['余', 4],
  ['于', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['魏', 4],
  ['苏', 4],
  ['吕', 4],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['陆', 3],
  ['范', 3],
  ['汪', 3],
  ['金', 3],
  ['方', 3],
  ['邵', 2],
  ['钱', 2],
  ['俞', 2],
  ['应', 2],
  ['楼', 2],
  ['章', 2],
  ['严', 2],
  ['施', 2],
  ['戴', 2],
  ['傅', 2],
  ['毛', 2],
];
const GIVEN_MALE =
  '伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘';
const GIVEN_FEMALE =
  '秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽';

/** Hangzhou districts with real street (街道) and road names, for plausible addresses. */
export const HANGZHOU_DISTRICTS: readonly {
  code: string;
  name: string;
  streets: readonly string[];
  roads: readonly string[];
}[] = [
  {
    code: '330102',
    name: '上城区',
    streets: [
      '湖滨街道',
      '清波街道',
      '小营街道',
      '望江街道',
      '南星街道',
      '紫阳街道',
      '凯旋街道',
      '采荷街道',
      '闸弄口街道',
      '四季青街道',
    ],
    roads: [
      '解放路',
      '延安路',
      '庆春路',
      '建国中路',
      '中山南路',
      '秋涛路',
      '凤起东路',
      '江锦路',
      '钱江路',
      '望江路',
    ],
  },
  {
    code: '330105',
    name: '拱墅区',
    streets: [
      '米市巷街道',
      '湖墅街道',
      '小河街道',
      '和睦街道',
      '拱宸桥街道',
      '大关街道',
      '上塘街道',
      '祥符街道',
      '武林街道',
      '朝晖街道',
    ],
    roads: [
      '湖墅南路',
      '莫干山路',
      '上塘路',
      '大关路',
      '登云路',
      '丽水路',
      '香积寺路',
      '石祥路',
      '体育场路',
      '中河北路',
    ],
  },
  {
    code: '330106',
    name: '西湖区',
    streets: [
      '北山街道',
      '西溪街道',
      '灵隐街道',
      '翠苑街道',
      '文新街道',
      '古荡街道',
      '转塘街道',
      '留下街道',
      '蒋村街道',
      '三墩镇',
    ],
    roads: [
      '文三路',
      '文二路',
      '教工路',
      '天目山路',
      '学院路',
      '古墩路',
      '西溪路',
      '保俶路',
      '留和路',
      '紫金港路',
    ],
  },
  {
    code: '330108',
    name: '滨江区',
    streets: ['西兴街道', '长河街道', '浦沿街道'],
    roads: [
      '江南大道',
      '滨盛路',
      '江陵路',
      '长河路',
      '西兴路',
      '网商路',
      '滨安路',
      '江虹路',
      '火炬大道',
    ],
  },
  {
    code: '330109',
    name: '萧山区',
    streets: ['城厢街道', '北干街道', '蜀山街道', '新塘街道', '宁围街道', '闻堰街道', '瓜沥镇'],
    roads: ['市心路', '金城路', '人民路', '建设一路', '山阴路', '萧然东路', '育才路', '通惠路'],
  },
  {
    code: '330110',
    name: '余杭区',
    streets: ['五常街道', '仓前街道', '闲林街道', '余杭街道', '中泰街道', '良渚街道', '仁和街道'],
    roads: ['文一西路', '五常大道', '良睦路', '荆长大道', '海曙路', '龙舟路', '余杭塘路', '绿汀路'],
  },
];

const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 975],
  ['畲族', 6],
  ['回族', 4],
  ['土家族', 4],
  ['苗族', 4],
  ['满族', 3],
  ['壮族', 2],
  ['蒙古族', 2],
];
const FIRM_NAMES =
  '华联恒泰新锐鼎盛汇通金诚东方西子钱塘之江湖畔云栖绿源天成博远易达星辰润泽宏图安信瑞丰嘉禾中诚远航智联明德海纳思创和信聚能优品正一'.match(
    /../g,
  )!;
const FIRM_TRADES = [
  '科技',
  '网络科技',
  '电子商务',
  '贸易',
  '餐饮管理',
  '建筑工程',
  '物业管理',
  '文化传媒',
  '食品',
  '医药',
  '服装',
  '信息技术',
  '教育科技',
  '物流',
  '装饰工程',
  '生物科技',
  '新能源',
  '机械设备',
  '环保科技',
  '供应链管理',
];
const SHOP_KINDS = [
  '小吃店',
  '便利店',
  '水果店',
  '理发店',
  '面馆',
  '五金店',
  '服装店',
  '烟酒店',
  '早餐店',
  '洗衣店',
  '花店',
  '眼镜店',
  '茶叶店',
  '手机维修部',
  '副食品店',
];
/** GB 11714 organisation-code characters (no I, O, S, V, Z). */
const ORG_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export interface DemoPerson {
  name: string;
  gender: '男' | '女';
  birthDate: string;
  idNumber: string;
  ethnicity: string;
  phone: string;
  district: string;
  address: string;
}

export interface DemoEnterprise {
  name: string;
  creditCode: string;
  legalRepresentative: string;
  registeredCapital: number;
  establishedOn: string;
  address: string;
  district: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a day `days` before `asOf`. */
export function daysBefore(asOf: Date, days: number): string {
  return new Date(asOf.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:mm:ss+08:00` (Beijing time) of an instant. */
export function beijingTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

/**
 * What record generators draw from: a seeded random source, the record's index, the
 * publishing department's district (city departments draw from all districts) and a fixed
 * "now", so that the same seed gives the same records.
 */
export class RecordContext {
  readonly rng: Random;
  readonly asOf: Date;
  /** 6-digit district code of the provider; undefined for city-level departments */
  readonly district: string | undefined;
  index = 0;
  private usedIds = new Set<string>();
  private person_: DemoPerson | undefined;
  private enterprise_: DemoEnterprise | undefined;
  private districtInfo_: (typeof HANGZHOU_DISTRICTS)[number] | undefined;
  private street_: string | undefined;
  /** values one item of the record made for a later item to agree with (`keep`, `kept`) */
  private readonly kept_ = new Map<string, unknown>();

  constructor(rng: Random, asOf: Date, district: string | undefined) {
    this.rng = rng;
    this.asOf = asOf;
    this.district = district;
  }

  /** Start the next record: the person and enterprise of the previous one are forgotten. */
  nextRecord(index: number) {
    this.index = index;
    this.person_ = undefined;
    this.enterprise_ = undefined;
    this.districtInfo_ = undefined;
    this.street_ = undefined;
    this.kept_.clear();
  }

  /** Remember a value of this record under `name` (items are made in order) and return it. */
  keep<T>(name: string, value: T): T {
    this.kept_.set(name, value);
    return value;
  }

  /** A value an earlier item of this record kept. */
  kept(name: string): unknown {
    return this.kept_.get(name);
  }

  /**
   * The record's district: the provider's, or for a city department one drawn per record, so
   * that a record's address, district name and ID number agree.
   */
  districtInfo() {
    if (this.districtInfo_) return this.districtInfo_;
    const code = this.district ?? this.rng.pick(HANGZHOU_DISTRICTS).code;
    this.districtInfo_ = HANGZHOU_DISTRICTS.find((d) => d.code === code) ?? HANGZHOU_DISTRICTS[0]!;
    return this.districtInfo_;
  }

  /** The record's street (街道) in its district: a place's name and its address agree. */
  street(): string {
    this.street_ ??= this.rng.pick(this.districtInfo().streets);
    return this.street_;
  }

  /** The record's street as places are named after it: 三墩 for 三墩镇, 翠苑 for 翠苑街道. */
  locality(): string {
    return this.street().replace(/街道$|镇$/, '');
  }

  /** A firm's name in the demo's style: `杭州` + a two-part trade name + what it does. */
  firm(business: string): string {
    return `杭州${this.rng.pick(FIRM_NAMES)}${this.rng.pick(FIRM_NAMES)}${business}`;
  }

  /** The `index`th entry of a fixed list: lists whose rows are the records (one record each). */
  nth<T>(items: readonly T[]): T {
    return items[this.index % items.length]!;
  }

  personName(gender: '男' | '女' = this.rng.chance(0.5) ? '男' : '女'): string {
    const chars = gender === '男' ? GIVEN_MALE : GIVEN_FEMALE;
    const given = Array.from({ length: this.rng.chance(0.75) ? 2 : 1 }, () =>
      chars.charAt(this.rng.int(0, chars.length - 1)),
    ).join('');
    return this.rng.weighted(SURNAMES) + given;
  }

  phone(): string {
    const prefix = this.rng.pick([
      '130',
      '133',
      '135',
      '136',
      '137',
      '138',
      '139',
      '150',
      '152',
      '157',
      '158',
      '159',
      '177',
      '180',
      '186',
      '187',
      '188',
      '189',
      '199',
    ]);
    return `${prefix}${pad(this.rng.int(0, 99_999_999), 8)}`;
  }

  landline(): string {
    return `0571-8${pad(this.rng.int(0, 9_999_999), 7)}`;
  }

  address(): string {
    const d = this.districtInfo();
    const number = this.rng.int(1, 520);
    const rest = this.rng.chance(0.6)
      ? `${this.rng.int(1, 32)}幢${this.rng.int(1, 4)}单元${this.rng.int(1, 28)}0${this.rng.int(1, 4)}室`
      : '';
    return `浙江省杭州市${d.name}${this.street()}${this.rng.pick(d.roads)}${number}号${rest}`;
  }

  /** A date between `minYearsAgo` and `maxYearsAgo` before the context's now. */
  dateYearsAgo(minYearsAgo: number, maxYearsAgo: number): string {
    return daysBefore(
      this.asOf,
      this.rng.int(Math.round(minYearsAgo * 365), Math.round(maxYearsAgo * 365)),
    );
  }

  dateDaysAgo(minDays: number, maxDays: number): string {
    return daysBefore(this.asOf, this.rng.int(minDays, maxDays));
  }

  datetimeDaysAgo(minDays: number, maxDays: number): string {
    const seconds = this.rng.int(minDays * 86_400, maxDays * 86_400);
    return beijingTime(new Date(this.asOf.getTime() - seconds * 1000));
  }

  /** A unique fictitious ID number (sequence 990–999, see DEMO_ID_SEQUENCES). */
  idNumber(gender: '男' | '女', birthDate: string, addressCode: string): string {
    for (;;) {
      let sequence = this.rng.int(DEMO_ID_SEQUENCES.min, DEMO_ID_SEQUENCES.max);
      if ((sequence % 2 === 1) !== (gender === '男')) sequence -= 1;
      if (sequence < DEMO_ID_SEQUENCES.min) sequence += 2;
      const id = makeIdNumber(addressCode, birthDate, sequence);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
      birthDate = daysBefore(new Date(`${birthDate}T00:00:00Z`), 1);
    }
  }

  /** The person of the current record (the same for every field of one record). */
  person(minAge = 0, maxAge = 90): DemoPerson {
    if (this.person_) return this.person_;
    const gender = this.rng.chance(0.5) ? '男' : '女';
    const birthDate = this.dateYearsAgo(minAge, maxAge);
    const d = this.districtInfo();
    this.person_ = {
      name: this.personName(gender),
      gender,
      birthDate,
      idNumber: this.idNumber(gender, birthDate, d.code),
      ethnicity: this.rng.weighted(ETHNICITIES),
      phone: this.phone(),
      district: d.name,
      address: this.address(),
    };
    return this.person_;
  }

  creditCode(authorityAndType: string): string {
    const body = Array.from({ length: 8 }, () =>
      ORG_ALPHABET.charAt(this.rng.int(0, ORG_ALPHABET.length - 1)),
    ).join('');
    return makeUnifiedSocialCreditCode(authorityAndType, this.districtInfo().code, body);
  }

  /** The enterprise of the current record. */
  enterprise(): DemoEnterprise {
    if (this.enterprise_) return this.enterprise_;
    const d = this.districtInfo();
    const firm = this.rng.pick(FIRM_NAMES) + this.rng.pick(FIRM_NAMES);
    this.enterprise_ = {
      name: `杭州${firm}${this.rng.pick(FIRM_TRADES)}${this.rng.chance(0.9) ? '有限公司' : '股份有限公司'}`,
      creditCode: this.creditCode('91'),
      legalRepresentative: this.personName(),
      registeredCapital: this.rng.pick([10, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000]),
      establishedOn: this.dateYearsAgo(0.2, 25),
      address: this.address(),
      district: d.name,
    };
    return this.enterprise_;
  }

  /** An individual business (个体工商户): credit code type 92. */
  shop() {
    const owner = this.personName();
    const d = this.districtInfo();
    return {
      name: `杭州市${d.name}${owner.slice(0, 1)}${this.rng.pick(FIRM_NAMES)}${this.rng.pick(SHOP_KINDS)}`,
      creditCode: this.creditCode('92'),
      operator: owner,
      address: this.address(),
      district: d.name,
    };
  }

  /** A sequential identifier such as a licence number: prefix + district + zero-padded index. */
  serial(prefix: string, width = 6): string {
    return `${prefix}${this.districtInfo().code}${pad(this.index + 1, width)}`;
  }
}
