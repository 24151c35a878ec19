import type { RecordContext } from './recordContext.ts';

export type ItemType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
export type Grade = 'general' | 'important' | 'core';
export type SharingType = 'unconditional' | 'conditional' | 'none';
export type OpenType = 'open' | 'conditional' | 'none';
export type UpdateCycle =
  'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
export type ResourceFormat =
  'database' | 'spreadsheet' | 'document' | 'image' | 'geo' | 'stream' | 'api' | 'other';

/** An information item (信息项) and how the demo fills it in records. */
export interface DemoItem {
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
  /** the value of this field in a record; undefined leaves the field out */
  value?: (ctx: RecordContext) => unknown;
}

/**
 * What kind of data a resource holds decides its sharing and open types, as 政务信息资源目录
 * practice does: personal data is shared on conditions and never opened; public registers are
 * shared and opened unconditionally; statistics are shared and opened on application; what a
 * law keeps confidential is not shared at all and cites that law.
 */
export type Nature = 'personal' | 'public' | 'register' | 'business' | 'statistics' | 'restricted';

export interface ResourceTemplate {
  name: string;
  theme: string;
  keywords: string[];
  /** `{dept}` is replaced by the provider's name, `{area}` by 全市 or the district's name */
  abstract: string;
  items: DemoItem[];
  nature: Nature;
  cycle: UpdateCycle;
  format?: ResourceFormat;
  /** index into the profile's functions; absent: the entry cites no statutory function */
  fn?: number;
  /**
   * number of demo records (20–2 000) for published entries; absent: no records. Every
   * template opened unconditionally has it: the portal offers those entries' data to anyone.
   * District counterparts hold a quarter of it (at least 50, or all when fewer), from their
   * own district.
   */
  records?: number;
  /**
   * the city's entry is always published (the demo journeys and the exchange demo use its
   * records); the others end where the seeded workflow leaves them
   */
  pinned?: boolean;
  /** published by district counterparts as well */
  district?: boolean;
  /** 不予共享: the law that keeps it confidential */
  legalBasis?: string;
  sharing?: SharingType;
  open?: OpenType;
  service?: string;
  source?: string;
}

export interface DepartmentProfile {
  /** 三定职责: `全市` is read as `全区` for district departments */
  functions: string[];
  resources: ResourceTemplate[];
}
