import { Prisma, type PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { visibilitySql } from '../../search/visibilitySql.ts';
import { publishedWhere } from '../publishedCatalog.ts';
import { ckanTimestamp, stableId } from './ckanVocabulary.ts';

/**
 * Departments are CKAN organizations (name = department code) and themes are CKAN groups
 * (name = theme code). Both are public lists; their dataset counts are what the caller may see.
 */

export interface OrganizationRow {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  /** absent for a department created by harvesting a source that did not give one */
  unifiedSocialCreditCode: string | null;
  kind: string;
  createdAt: Date;
  region: { code: string; name: string };
}

export interface ThemeRow {
  code: string;
  name: string;
  kind: string;
}

const ORGANIZATION_SELECT = {
  id: true,
  code: true,
  name: true,
  shortName: true,
  unifiedSocialCreditCode: true,
  kind: true,
  createdAt: true,
  region: { select: { code: true, name: true } },
} satisfies Prisma.DepartmentSelect;

/** Departments by id, or all of them. */
export async function loadOrganizations(
  prisma: PrismaClient,
  ids?: readonly string[],
): Promise<Map<string, OrganizationRow>> {
  const rows = await prisma.department.findMany({
    where: ids ? { id: { in: [...ids] } } : {},
    select: ORGANIZATION_SELECT,
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** One department by its id or its code (CKAN's "id or name"), case-insensitive. */
export async function findOrganization(
  prisma: PrismaClient,
  idOrName: string,
): Promise<OrganizationRow | null> {
  const key = idOrName.trim().toLowerCase();
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key);
  return prisma.department.findFirst({
    where: isUuid ? { id: key } : { code: key },
    select: ORGANIZATION_SELECT,
  });
}

export async function loadThemes(prisma: PrismaClient): Promise<ThemeRow[]> {
  return prisma.theme.findMany({
    select: { code: true, name: true, kind: true },
    orderBy: { position: 'asc' },
  });
}

/** The published entries the caller may see, counted per department and per theme. */
export async function visibleCounts(
  prisma: PrismaClient,
  actor: Actor,
  by: 'provider' | 'theme',
): Promise<Map<string, number>> {
  const visible = visibilitySql(await publishedWhere(prisma, actor));
  const column = Prisma.raw(by === 'provider' ? 'r.provider_id::text' : 'r.theme_code');
  const rows = await prisma.$queryRaw<{ key: string; count: number }[]>`
    SELECT ${column} AS key, count(*)::int AS count FROM resources r WHERE ${visible} GROUP BY 1`;
  return new Map(rows.map((r) => [r.key, r.count]));
}

/** The organization as a dataset's `organization` member shows it. */
export function organizationSummary(org: OrganizationRow) {
  return {
    id: org.id,
    name: org.code,
    title: org.name,
    type: 'organization',
    description: [
      org.unifiedSocialCreditCode ? `统一社会信用代码：${org.unifiedSocialCreditCode}` : undefined,
      `所属行政区划：${org.region.name}（${org.region.code}）`,
    ]
      .filter(Boolean)
      .join('；'),
    image_url: '',
    created: ckanTimestamp(org.createdAt),
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
  };
}

/** The organization as organization_list (all_fields) and organization_show show it. */
export function organizationDict(org: OrganizationRow, packageCount: number) {
  return {
    ...organizationSummary(org),
    display_name: org.name,
    image_display_url: '',
    num_followers: 0,
    package_count: packageCount,
  };
}

/** What organization_show adds: CKAN's extras carry what CKAN has no field for. */
export function organizationExtras(org: OrganizationRow) {
  return [
    { key: 'kind', value: org.kind, state: 'active' },
    { key: 'region_code', value: org.region.code, state: 'active' },
    { key: 'region_name', value: org.region.name, state: 'active' },
    ...(org.shortName ? [{ key: 'short_name', value: org.shortName, state: 'active' }] : []),
    ...(org.unifiedSocialCreditCode
      ? [{ key: 'unified_social_credit_code', value: org.unifiedSocialCreditCode, state: 'active' }]
      : []),
  ];
}

const THEME_KINDS: Record<string, string> = { base: '基础信息资源库', domain: '主题信息资源库' };

/** The theme as a dataset's `groups` member shows it. */
export function groupSummary(theme: ThemeRow) {
  return {
    id: stableId('group', theme.code),
    name: theme.code,
    title: theme.name,
    display_name: theme.name,
    description: THEME_KINDS[theme.kind] ?? '',
    image_display_url: '',
  };
}

/** The theme as group_list (all_fields) shows it. Themes have no creation time: `created` null. */
export function groupDict(theme: ThemeRow, packageCount: number) {
  return {
    ...groupSummary(theme),
    approval_status: 'approved',
    created: null,
    image_url: '',
    is_organization: false,
    num_followers: 0,
    package_count: packageCount,
    state: 'active',
    type: 'group',
  };
}
