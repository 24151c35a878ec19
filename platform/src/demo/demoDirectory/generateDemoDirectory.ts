import { DEMO_DEPARTMENTS, DEMO_REGIONS, type DemoDepartment } from '../demoOrganisation.ts';
import { recordKey } from '../../records/recordKey.ts';
import type {
  DemoItem,
  DepartmentProfile,
  Grade,
  ItemType,
  OpenType,
  ResourceFormat,
  ResourceTemplate,
  SharingType,
  UpdateCycle,
} from './catalogueTypes.ts';
import {
  AGRICULTURE,
  COMMERCE,
  DEVELOPMENT,
  FINANCE,
  MARKET_REGULATION,
  STATISTICS,
  TAXATION,
} from './catalogues/marketAndEconomy.ts';
import {
  CONSTRUCTION,
  EMERGENCY,
  ENVIRONMENT,
  HOUSING,
  PLANNING,
  TRANSPORT,
  URBAN_MANAGEMENT,
  WATER_FORESTRY,
  WEATHER,
} from './catalogues/cityAndEnvironment.ts';
import {
  COURT,
  CULTURE_TOURISM,
  DATA_AUTHORITY,
  GOVERNMENT_OFFICE,
  JUSTICE,
  PROCURATORATE,
} from './catalogues/governmentAndJustice.ts';
import { OPEN_CONDITIONS, SHARING_CONDITIONS } from './catalogues/legalBases.ts';
import {
  CIVIL_AFFAIRS,
  EDUCATION,
  HEALTH,
  HOUSING_FUND,
  HUMAN_RESOURCES,
  MEDICAL_INSURANCE,
  PUBLIC_SECURITY,
  VETERANS,
} from './catalogues/peopleAndSociety.ts';
import { Random } from './random.ts';
import { RecordContext } from './recordContext.ts';

/** The seed `npm start` uses; any other gives another, equally valid, city. */
export const DEMO_DIRECTORY_SEED = 20_261_121;

/**
 * What each demo department catalogues (district departments publish the `district` subset);
 * also what the catalogSearch benchmark's national-scale directory is made of.
 */
export const DEMO_PROFILES: Readonly<Record<string, DepartmentProfile>> = {
  'hz-dsj': DATA_AUTHORITY,
  'xh-zf': {
    ...GOVERNMENT_OFFICE,
    resources: GOVERNMENT_OFFICE.resources.map((r) => ({ ...r, district: true })),
  },
  'hz-gaj': PUBLIC_SECURITY,
  'xh-gafj': PUBLIC_SECURITY,
  'hz-scjg': MARKET_REGULATION,
  'sc-scjg': MARKET_REGULATION,
  'gs-scjg': MARKET_REGULATION,
  'xh-scjg': MARKET_REGULATION,
  'bj-scjg': MARKET_REGULATION,
  'xs-scjg': MARKET_REGULATION,
  'yh-scjg': MARKET_REGULATION,
  'hz-rsj': HUMAN_RESOURCES,
  'xh-rsj': HUMAN_RESOURCES,
  'yh-rsj': HUMAN_RESOURCES,
  'hz-mzj': CIVIL_AFFAIRS,
  'gs-mzj': CIVIL_AFFAIRS,
  'xh-mzj': CIVIL_AFFAIRS,
  'hz-wjw': HEALTH,
  'xh-wjj': HEALTH,
  'xs-wjj': HEALTH,
  'hz-zjj': HOUSING,
  'hz-fgw': DEVELOPMENT,
  'hz-jyj': EDUCATION,
  'sc-jyj': EDUCATION,
  'xh-jyj': EDUCATION,
  'bj-jyj': EDUCATION,
  'hz-jsj': CONSTRUCTION,
  'hz-jtj': TRANSPORT,
  'xs-jtj': TRANSPORT,
  'hz-sthj': ENVIRONMENT,
  'hz-qxj': WEATHER,
  'hz-ghzy': PLANNING,
  'hz-swj': TAXATION,
  'hz-zy': COURT,
  'hz-jcy': PROCURATORATE,
  'hz-wgly': CULTURE_TOURISM,
  'hz-nync': AGRICULTURE,
  'xs-nync': AGRICULTURE,
  'hz-czj': FINANCE,
  'hz-tjj': STATISTICS,
  'hz-yjgl': EMERGENCY,
  'hz-cgj': URBAN_MANAGEMENT,
  'bj-cgj': URBAN_MANAGEMENT,
  'hz-ybj': MEDICAL_INSURANCE,
  'hz-tyjr': VETERANS,
  'hz-sfj': JUSTICE,
  'hz-lsj': WATER_FORESTRY,
  'hz-swuj': COMMERCE,
  'hz-gjj': HOUSING_FUND,
};

const CITY_REGION = '330100000000';

/** A directory entry in the shape of schemas/json/catalog/resource-input.schema.json. */
export interface DemoResourceInput {
  providerCode: string;
  name: string;
  abstract: string;
  themeCode: string;
  subClassCode: string;
  serviceCategory: string;
  keywords: string[];
  format: ResourceFormat;
  sharingType: SharingType;
  sharingConditions: string | null;
  sharingMethods: ('api' | 'file' | 'subscription')[];
  sharingLegalBasis: string | null;
  openType: OpenType;
  openConditions: string | null;
  updateCycle: UpdateCycle;
  publishDate: string | null;
  sourceSystem: string;
  functionCode: string | null;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  items: {
    name: string;
    label: string;
    dataType: ItemType;
    unit?: string;
    maxLength?: number;
    dataGrade?: Grade;
    isPersonal?: boolean;
    isRequired?: boolean;
    isKey?: boolean;
    description?: string;
  }[];
}

export type DemoStatus = 'draft' | 'in_review' | 'published' | 'retired';

export interface DemoDirectoryResource {
  input: DemoResourceInput;
  /** where the workflow leaves it */
  status: DemoStatus;
  /** a draft that came back from review carries the approver's comment */
  rejectionComment: string | null;
  /** when the data was last refreshed (ISO); some are overdue for their update cycle */
  dataUpdatedAt: string | null;
  /**
   * hosted records (every published open entry, and the city entries whose templates have
   * them), each keyed by its key fields (`recordKey`)
   */
  records: { key: string; data: Record<string, unknown> }[];
}

export interface DemoFunction {
  code: string;
  name: string;
  description: string;
}

export interface DemoDirectory {
  seed: number;
  asOf: string;
  functions: { departmentCode: string; functions: DemoFunction[] }[];
  resources: DemoDirectoryResource[];
}

export interface GenerateDemoDirectoryOptions {
  seed?: number;
  /** the generator's "now": record times, publish dates and data ages count back from it */
  asOf?: Date;
  /** only these departments (default: every demo department with a profile) */
  departments?: readonly DemoDepartment[];
}

const CYCLE_DAYS: Record<UpdateCycle, number | undefined> = {
  realtime: 1,
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  yearly: 366,
  irregular: undefined,
};

const SERVICE_CATEGORY: Record<ResourceTemplate['nature'], string> = {
  personal: '社会管理',
  public: '公共服务',
  register: '市场监管与信用',
  business: '行政管理',
  statistics: '经济运行',
  restricted: '社会管理',
};

/** Sharing and open types, conditions, methods and legal basis of a catalogue entry. */
export function templateSharing(t: ResourceTemplate) {
  const sharingType: SharingType =
    t.sharing ??
    (t.nature === 'restricted'
      ? 'none'
      : t.nature === 'personal' || t.nature === 'business'
        ? 'conditional'
        : 'unconditional');
  // registers are opened where the law makes them public (企业信用信息公示, 信用信息双公示);
  // other registers are shared between departments only
  const openType: OpenType =
    t.open ??
    (t.nature === 'public' ||
    (t.nature === 'register' && (t.theme === 'credit' || t.theme === 'legal-entity'))
      ? 'open'
      : t.nature === 'statistics'
        ? 'conditional'
        : 'none');
  const sharingMethods: DemoResourceInput['sharingMethods'] =
    sharingType === 'none'
      ? []
      : t.cycle === 'realtime'
        ? ['api', 'subscription']
        : t.nature === 'statistics' || t.format === 'document' || t.format === 'spreadsheet'
          ? ['file']
          : t.nature === 'personal'
            ? ['api']
            : ['api', 'file'];
  if (sharingType === 'none' && !t.legalBasis) {
    throw new Error(`demo entry ${t.name} is not shared but cites no legal basis`);
  }
  return {
    sharingType,
    sharingConditions:
      sharingType === 'conditional'
        ? t.nature === 'personal'
          ? SHARING_CONDITIONS.personal
          : SHARING_CONDITIONS.business
        : t.nature === 'statistics'
          ? SHARING_CONDITIONS.statistics
          : null,
    sharingMethods,
    sharingLegalBasis: sharingType === 'none' ? t.legalBasis! : null,
    openType,
    openConditions: openType === 'conditional' ? OPEN_CONDITIONS : null,
  };
}

function plainItem({ value: _value, ...item }: DemoItem): DemoResourceInput['items'][number] {
  return item;
}

/** Where the workflow leaves an entry: most published, some still draft, in review or retired. */
function statusOf(rng: Random, hasRecords: boolean): { status: DemoStatus; rejected: boolean } {
  if (hasRecords) return { status: 'published', rejected: false };
  const r = rng.next();
  if (r < 0.04) return { status: 'draft', rejected: false };
  if (r < 0.06) return { status: 'draft', rejected: true };
  if (r < 0.1) return { status: 'in_review', rejected: false };
  if (r < 0.14) return { status: 'retired', rejected: false };
  return { status: 'published', rejected: false };
}

const REJECTIONS = [
  '信息项缺少计量单位，请补充后重新提交。',
  '共享条件表述不清，请明确使用范围和审核要求。',
  '摘要未说明数据范围和更新方式，请完善。',
  '请核对所引用的三定职责是否准确。',
];

function recordsOf(
  template: ResourceTemplate,
  items: readonly DemoItem[],
  ctx: RecordContext,
  count: number,
): DemoDirectoryResource['records'] {
  const keys = items.filter((i) => i.isKey);
  if (keys.length === 0) throw new Error(`demo entry ${template.name} has records but no key`);
  const seen = new Set<string>();
  const out: DemoDirectoryResource['records'] = [];
  for (let i = 0; out.length < count && i < count * 3; i += 1) {
    ctx.nextRecord(i);
    const data: Record<string, unknown> = {};
    for (const item of items) {
      const value = item.value?.(ctx);
      if (value !== undefined) data[item.name] = value;
      else if (item.isRequired || item.isKey) {
        throw new Error(`demo entry ${template.name}: no value for required item ${item.name}`);
      }
    }
    const key = recordKey(
      data,
      keys.map((k) => k.name),
    )!;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, data });
  }
  return out;
}

/**
 * How many records an entry holds: the template's number at the city; a district counterpart
 * of an open entry holds a quarter of it (its own district's part), and one that is only
 * shared holds none (districts share through the city's systems; keeps the seed quick).
 */
function recordCount(records: number, isDistrict: boolean, openType: OpenType): number {
  const count = Math.max(20, Math.min(2000, records));
  if (!isDistrict) return count;
  return openType === 'open' ? Math.min(count, Math.max(50, Math.round(count / 4))) : 0;
}

function dataAge(rng: Random, cycle: UpdateCycle): number {
  const days = CYCLE_DAYS[cycle];
  if (days === undefined) return rng.float(10, 400, 3);
  // about one in seven is overdue for its update cycle (the overdue report has work to show)
  return rng.chance(0.15) ? rng.float(days * 1.3, days * 3, 3) : rng.float(0, days * 0.8, 3);
}

/**
 * The demo city's resource directory, generated from a seeded random source: statutory
 * functions per department, 400+ entries with their information items, where the workflow
 * leaves each entry, and hosted records for the published entries that have them. The same
 * seed and `asOf` always give the same directory; nothing here touches a database.
 */
export function generateDemoDirectory(options: GenerateDemoDirectoryOptions = {}): DemoDirectory {
  const seed = options.seed ?? DEMO_DIRECTORY_SEED;
  const asOf = options.asOf ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const root = new Random(seed);
  const regionNames = new Map(DEMO_REGIONS.map((r) => [r.code, r.name]));
  const profileIndex = new Map([...new Set(Object.values(DEMO_PROFILES))].map((p, i) => [p, i]));

  const functions: DemoDirectory['functions'] = [];
  const resources: DemoDirectoryResource[] = [];
  for (const department of options.departments ?? DEMO_DEPARTMENTS) {
    const profile = DEMO_PROFILES[department.code];
    if (!profile) continue;
    const isDistrict = department.regionCode !== CITY_REGION;
    const area = isDistrict ? (regionNames.get(department.regionCode) ?? '全区') : '全市';
    const district = isDistrict ? department.regionCode.slice(0, 6) : undefined;
    const rng = root.fork(department.code);

    const fns = profile.functions.map((name, i) => ({
      code: `ZZ${String(i + 1).padStart(2, '0')}`,
      name: isDistrict ? name.replaceAll('全市', '全区') : name,
      description: `依据《${department.name}职能配置、内设机构和人员编制规定》`,
    }));
    functions.push({ departmentCode: department.code, functions: fns });

    const templates = profile.resources.filter((t) => !isDistrict || t.district);
    templates.forEach((t, templateIndex) => {
      const items = t.items;
      if (items.length < 4 || items.length > 20) {
        throw new Error(`demo entry ${t.name} has ${items.length} items; 4–20 expected`);
      }
      const { status, rejected } = statusOf(rng, t.pinned === true && !isDistrict);
      const sharing = templateSharing(t);
      if (sharing.openType === 'open' && t.records === undefined) {
        // the portal offers an open entry's data to anyone: an empty one would download empty
        throw new Error(`demo entry ${t.name} is opened unconditionally but has no records`);
      }
      // a few entries are catalogued without naming the function they serve (gap report)
      const citesFunction = t.fn !== undefined && !rng.chance(0.08);
      const published = status === 'published' || status === 'retired';
      const input: DemoResourceInput = {
        providerCode: department.code,
        name: t.name,
        abstract: t.abstract.replaceAll('{dept}', department.name).replaceAll('{area}', area),
        themeCode: t.theme,
        subClassCode: `${String(profileIndex.get(profile)! + 1).padStart(3, '0')}${String(templateIndex + 1).padStart(3, '0')}`,
        serviceCategory: SERVICE_CATEGORY[t.nature],
        keywords: t.keywords,
        format: t.format ?? 'database',
        ...sharing,
        updateCycle: t.cycle,
        publishDate: published
          ? new Date(asOf.getTime() - rng.int(20, 1400) * 86_400_000).toISOString().slice(0, 10)
          : null,
        sourceSystem: t.source ?? `${department.shortName}业务管理系统`,
        functionCode: citesFunction ? fns[t.fn!]!.code : null,
        contactName: department.contactName,
        contactPhone: department.contactPhone,
        contactEmail: `${department.code}@demo.gov-exchange.cn`,
        items: items.map(plainItem),
      };
      const rejectionComment = rejected ? rng.pick(REJECTIONS) : null;
      const dataUpdatedAt = published
        ? new Date(asOf.getTime() - dataAge(rng, t.cycle) * 86_400_000)
        : null;
      const count =
        status === 'published' && t.records !== undefined
          ? recordCount(t.records, isDistrict, sharing.openType)
          : 0;
      // the records are as of the last refresh, so none is newer than 数据更新 says (an
      // overdue entry's data stops where its refreshes stopped)
      const records =
        count > 0
          ? recordsOf(
              t,
              items,
              new RecordContext(
                root.fork(`${department.code}/${t.name}`),
                dataUpdatedAt ?? asOf,
                district,
              ),
              count,
            )
          : [];
      resources.push({
        input,
        status,
        rejectionComment,
        dataUpdatedAt: dataUpdatedAt?.toISOString() ?? null,
        records,
      });
    });
  }
  return { seed, asOf: asOf.toISOString(), functions, resources };
}
