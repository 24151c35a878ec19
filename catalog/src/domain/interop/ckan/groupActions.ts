import type { CkanContext } from './ckanContext.ts';
import { CkanNotFoundError, CkanValidationError } from './ckanErrors.ts';
import {
  findOrganization,
  groupDict,
  loadOrganizations,
  loadThemes,
  organizationDict,
  organizationExtras,
  visibleCounts,
  type OrganizationRow,
  type ThemeRow,
} from './ckanGroups.ts';
import {
  asBool,
  naturalNumber,
  ParamProblems,
  requiredText,
  stringList,
  text,
  type DataDict,
} from './ckanParams.ts';
import { packageSearch } from './packageSearch.ts';

/** CKAN's `ckan.group_and_organization_list_max` and `…_all_fields_max` defaults. */
const LIST_MAX = 1000;
const ALL_FIELDS_MAX = 25;

interface Listed {
  name: string;
  title: string;
  description: string;
  count: number;
}

/**
 * CKAN's `_unpick_search` for group lists: one `field [asc|desc]` among name, title,
 * package_count (`packages`); anything else is CKAN's Validation Error with a message.
 */
function groupSort(sort: string | undefined): { field: keyof Listed; desc: boolean } {
  const value = sort?.trim() || 'title asc';
  const normalised =
    value === 'packages' || value === 'package_count' ? 'package_count desc' : value;
  const parts = normalised.split(',');
  if (parts.length > 1) {
    throw new CkanValidationError({ message: '排序条件过多：只能按一个字段排序' });
  }
  const [field = '', direction = 'asc'] = parts[0]!.trim().split(/\s+/);
  const columns: Record<string, keyof Listed> = {
    name: 'name',
    title: 'title',
    packages: 'count',
    package_count: 'count',
  };
  const column = Object.hasOwn(columns, field) ? columns[field] : undefined;
  if (!column) throw new CkanValidationError({ message: `不能按字段 \`${field}\` 排序` });
  if (direction.toLowerCase() !== 'asc' && direction.toLowerCase() !== 'desc') {
    throw new CkanValidationError({ message: `无效的排序方向 \`${direction}\`` });
  }
  return { field: column, desc: direction.toLowerCase() === 'desc' };
}

/**
 * What organization_list and group_list share: filter by names and `q` (in name, title or
 * description), sort, page (`limit` capped at 1000 names or 25 full dicts, as CKAN does).
 */
function listGroups<T extends Listed>(items: T[], dict: DataDict, namesKey: string): T[] {
  const problems = new ParamProblems();
  const limit = naturalNumber(dict, 'limit', problems);
  const offset = naturalNumber(dict, 'offset', problems);
  const q = text(dict, 'q', problems)?.trim().toLowerCase();
  const sort = text(dict, 'sort', problems) ?? text(dict, 'order_by', problems);
  problems.throwIfAny();
  const { field, desc } = groupSort(sort);
  const names = stringList(dict, namesKey);
  const max = asBool(dict.all_fields) ? ALL_FIELDS_MAX : LIST_MAX;
  const chosen = items
    .filter((i) => !names || names.includes(i.name))
    .filter((i) => !q || [i.name, i.title, i.description].some((s) => s.toLowerCase().includes(q)))
    .sort((a, b) => {
      const x = a[field];
      const y = b[field];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (desc ? -c : c) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
  const start = offset ?? 0;
  return chosen.slice(start, start + Math.min(limit || max, max));
}

async function organizations(ctx: CkanContext) {
  const [orgs, counts] = await Promise.all([
    loadOrganizations(ctx.prisma),
    visibleCounts(ctx.prisma, ctx.actor, 'provider'),
  ]);
  return [...orgs.values()].map((org) => ({
    org,
    name: org.code,
    title: org.name,
    description: org.region.name,
    count: counts.get(org.id) ?? 0,
  }));
}

/** CKAN's organization_list: the departments (names, or dicts with `all_fields`). */
export async function organizationList(ctx: CkanContext, dict: DataDict) {
  const listed = listGroups(await organizations(ctx), dict, 'organizations');
  return asBool(dict.all_fields)
    ? listed.map((l) => organizationDict(l.org, l.count))
    : listed.map((l) => l.name);
}

/** A group or organization's datasets, as `packages` (CKAN: its first 1000 by modification). */
async function datasetsOf(ctx: CkanContext, field: 'organization' | 'groups', name: string) {
  const found = await packageSearch(ctx, {
    fq: `${field}:"${name}"`,
    rows: 1000,
    sort: 'metadata_modified desc',
  });
  return found.results;
}

function include(dict: DataDict, key: string, fallback: boolean): boolean {
  return dict[key] === undefined ? fallback : asBool(dict[key]);
}

/**
 * CKAN's organization_show by id or name; `include_datasets` adds `packages`. Members are
 * people of our departments and are not published: `users` is always empty.
 */
export async function organizationShow(ctx: CkanContext, dict: DataDict) {
  const id = requiredText(dict, 'id');
  const org: OrganizationRow | null = await findOrganization(ctx.prisma, id);
  if (!org) throw new CkanNotFoundError();
  const counts = await visibleCounts(ctx.prisma, ctx.actor, 'provider');
  return {
    ...organizationDict(org, counts.get(org.id) ?? 0),
    ...(include(dict, 'include_extras', true) ? { extras: organizationExtras(org) } : {}),
    ...(include(dict, 'include_users', true) ? { users: [] } : {}),
    ...(include(dict, 'include_groups', true) ? { groups: [] } : {}),
    ...(include(dict, 'include_tags', true) ? { tags: [] } : {}),
    ...(include(dict, 'include_datasets', false)
      ? { packages: await datasetsOf(ctx, 'organization', org.code) }
      : {}),
  };
}

async function themes(ctx: CkanContext) {
  const [rows, counts] = await Promise.all([
    loadThemes(ctx.prisma),
    visibleCounts(ctx.prisma, ctx.actor, 'theme'),
  ]);
  return rows.map((theme) => ({
    theme,
    name: theme.code,
    title: theme.name,
    description: '',
    count: counts.get(theme.code) ?? 0,
  }));
}

/** CKAN's group_list: the themes (names, or dicts with `all_fields`). */
export async function groupList(ctx: CkanContext, dict: DataDict) {
  const listed = listGroups(await themes(ctx), dict, 'groups');
  return asBool(dict.all_fields)
    ? listed.map((l) => groupDict(l.theme, l.count))
    : listed.map((l) => l.name);
}

/** CKAN's group_show by id or name (a theme); `include_datasets` adds `packages`. */
export async function groupShow(ctx: CkanContext, dict: DataDict) {
  const key = requiredText(dict, 'id').toLowerCase();
  const all = await themes(ctx);
  const found = all.find((t) => t.name === key || groupDict(t.theme, 0).id === key);
  if (!found) throw new CkanNotFoundError();
  const theme: ThemeRow = found.theme;
  return {
    ...groupDict(theme, found.count),
    ...(include(dict, 'include_extras', true)
      ? { extras: [{ key: 'kind', value: theme.kind, state: 'active' }] }
      : {}),
    ...(include(dict, 'include_users', true) ? { users: [] } : {}),
    ...(include(dict, 'include_groups', true) ? { groups: [] } : {}),
    ...(include(dict, 'include_tags', true) ? { tags: [] } : {}),
    ...(include(dict, 'include_datasets', false)
      ? { packages: await datasetsOf(ctx, 'groups', theme.code) }
      : {}),
  };
}
