import type { DemoItem, Grade, ItemType } from './catalogueTypes.ts';
import type { RecordContext } from './recordContext.ts';
import { beijingTime } from './recordContext.ts';

type Extra = Partial<Omit<DemoItem, 'name' | 'label' | 'dataType'>>;

/** An information item with its value generator. */
export function item(
  name: string,
  label: string,
  dataType: ItemType,
  value?: (ctx: RecordContext) => unknown,
  extra: Extra = {},
): DemoItem {
  return { name, label, dataType, ...(value ? { value } : {}), ...extra };
}

const personal = (grade: Grade = 'important'): Extra => ({ isPersonal: true, dataGrade: grade });

export const str = (
  name: string,
  label: string,
  maxLength: number,
  value?: (c: RecordContext) => unknown,
  extra: Extra = {},
) => item(name, label, 'string', value, { maxLength, ...extra });
export const choice = (
  name: string,
  label: string,
  options: readonly string[],
  extra: Extra = {},
) =>
  str(
    name,
    label,
    Math.max(...options.map((o) => o.length)) * 2 + 4,
    (c) => c.rng.pick(options),
    extra,
  );
/** The same options by weight (`[[option, weight], …]`): most samples pass, a few fail. */
export const weightedChoice = (
  name: string,
  label: string,
  options: readonly (readonly [string, number])[],
  extra: Extra = {},
) =>
  str(
    name,
    label,
    Math.max(...options.map(([o]) => o.length)) * 2 + 4,
    (c) => c.rng.weighted(options),
    extra,
  );
/** An item that identifies the record (part of its key, so required). */
export const key = (i: DemoItem): DemoItem => ({ ...i, isKey: true, isRequired: true });
export const int = (
  name: string,
  label: string,
  min: number,
  max: number,
  unit?: string,
  extra: Extra = {},
) =>
  item(name, label, 'integer', (c) => c.rng.int(min, max), { ...(unit ? { unit } : {}), ...extra });
/** An integer whose range depends on what an earlier item kept under `kind` (`ctx.keep`). */
export const intByKind = (
  name: string,
  label: string,
  kind: string,
  ranges: Readonly<Record<string, readonly [number, number]>>,
  unit?: string,
) =>
  item(
    name,
    label,
    'integer',
    (c) => {
      const [min, max] = ranges[String(c.kept(kind))]!;
      return c.rng.int(min, max);
    },
    unit ? { unit } : {},
  );
export const num = (
  name: string,
  label: string,
  min: number,
  max: number,
  unit?: string,
  digits = 1,
  extra: Extra = {},
) =>
  item(name, label, 'number', (c) => c.rng.float(min, max, digits), {
    ...(unit ? { unit } : {}),
    ...extra,
  });
export const bool = (name: string, label: string, probability = 0.5, extra: Extra = {}) =>
  item(name, label, 'boolean', (c) => c.rng.chance(probability), extra);
export const date = (
  name: string,
  label: string,
  minDaysAgo: number,
  maxDaysAgo: number,
  extra: Extra = {},
) => item(name, label, 'date', (c) => c.dateDaysAgo(minDaysAgo, maxDaysAgo), extra);
export const datetime = (
  name: string,
  label: string,
  minDaysAgo: number,
  maxDaysAgo: number,
  extra: Extra = {},
) => item(name, label, 'datetime', (c) => c.datetimeDaysAgo(minDaysAgo, maxDaysAgo), extra);
/** A sequential key such as a licence or case number. */
export const serialKey = (name: string, label: string, prefix: string) =>
  str(name, label, 40, (c) => c.serial(prefix), { isKey: true, isRequired: true });

// --- people (the same person for every field of one record)
export const personName = (label = '姓名', name = 'name') =>
  str(name, label, 50, (c) => c.person().name, { ...personal(), isRequired: true });
export const idNumber = (
  label = '公民身份号码',
  name = 'id_number',
  key = true,
  grade: Grade = 'core',
) =>
  str(name, label, 18, (c) => c.person().idNumber, {
    ...personal(grade),
    isRequired: true,
    ...(key ? { isKey: true } : {}),
  });
export const gender = () => str('gender', '性别', 2, (c) => c.person().gender, personal('general'));
export const ethnicity = () =>
  str('ethnicity', '民族', 20, (c) => c.person().ethnicity, personal('general'));
export const birthDate = () =>
  item('birth_date', '出生日期', 'date', (c) => c.person().birthDate, personal());
export const mobile = (label = '联系电话', name = 'phone') =>
  str(name, label, 20, (c) => c.person().phone, personal());
export const homeAddress = (label = '现住址', name = 'address') =>
  str(name, label, 200, (c) => c.person().address, personal());
export const personBlock = () => [personName(), idNumber(), gender(), birthDate()];

// --- legal entities (the same enterprise for every field of one record)
export const creditCode = (label = '统一社会信用代码', name = 'credit_code', key = true) =>
  str(name, label, 18, (c) => c.enterprise().creditCode, {
    isRequired: true,
    ...(key ? { isKey: true } : {}),
  });
export const enterpriseName = (label = '企业名称', name = 'enterprise_name') =>
  str(name, label, 200, (c) => c.enterprise().name, { isRequired: true });
export const legalRepresentative = (label = '法定代表人') =>
  str(
    'legal_representative',
    label,
    50,
    (c) => c.enterprise().legalRepresentative,
    personal('general'),
  );
export const registeredCapital = () =>
  item('registered_capital', '注册资本', 'number', (c) => c.enterprise().registeredCapital, {
    unit: '万元',
  });
export const establishedOn = () =>
  item('established_on', '成立日期', 'date', (c) => c.enterprise().establishedOn);
export const businessAddress = (label = '住所') =>
  str('business_address', label, 200, (c) => c.enterprise().address);
export const enterpriseBlock = () => [creditCode(), enterpriseName(), legalRepresentative()];

// --- places and facilities
export const districtName = (label = '所属区县') =>
  str('district', label, 20, (c) => c.districtInfo().name);
export const placeAddress = (label = '地址') => str('address', label, 200, (c) => c.address());
export const longitude = () => num('longitude', '经度', 119.95, 120.45, '度', 6);
export const latitude = () => num('latitude', '纬度', 30.12, 30.42, '度', 6);
export const officePhone = (label = '联系电话') =>
  str('contact_phone', label, 20, (c) => c.landline());
export const locationBlock = () => [placeAddress(), longitude(), latitude()];

/**
 * The key of a reading in a series (keys are strings or integers): the station's code and the
 * reading's time, e.g. `1223A-2026112116`.
 */
export const readingKey = (
  name: string,
  label: string,
  station: (c: RecordContext) => string,
  at: (c: RecordContext) => string,
) =>
  str(name, label, 40, (c) => `${station(c)}-${at(c).slice(0, 13).replace(/[-T:]/g, '')}`, {
    isKey: true,
    isRequired: true,
  });

/** Hourly series: `stations.length × hours` records, one per station and hour. */
export function hourlySeries(stations: readonly (readonly [string, string])[]) {
  const at = (c: RecordContext) => {
    const hour = Math.floor(c.index / stations.length);
    const top = Math.floor(c.asOf.getTime() / 3_600_000) * 3_600_000;
    return beijingTime(new Date(top - hour * 3_600_000));
  };
  const station = (c: RecordContext) => stations[c.index % stations.length]!;
  return { at, station };
}

/** Daily series: `subjects.length × days` records. */
export function dailySeries(count: number) {
  return (c: RecordContext) => {
    const day = Math.floor(c.index / count);
    return new Date(c.asOf.getTime() - (day + 1) * 86_400_000).toISOString().slice(0, 10);
  };
}
