import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '@gx/migrations';
import type { RemotePublisher } from './remoteEntry.ts';

/** The local department an entry is placed under. */
export interface LocalProvider {
  id: string;
  /** null only for a department this harvesting created for a publisher that gave none */
  unifiedSocialCreditCode: string | null;
}

interface RegionNames {
  id: string;
  /** what a department's name begins with when it belongs to the region */
  prefixes: string[];
}

export interface HarvestSourceRef {
  id: string;
  name: string;
  regionId: string;
}

/**
 * Local departments for remote publishers, looked up once per publisher and job:
 * 1. the department with the publisher's 统一社会信用代码;
 * 2. the department this source created for the publisher before (its code is derived from
 *    the source and the publisher's identity, so a renamed publisher keeps its department);
 * 3. a department with exactly the publisher's name, unless both state credit codes that
 *    differ (then they are two organisations with one name);
 * 4. otherwise a new department, marked as harvested, in the region its name begins with (the
 *    deepest region within the source's: 杭州市余杭区数据资源管理局 or 余杭区数据资源管理局 →
 *    余杭区 for a source of 杭州市), else in the source's region.
 * An entry whose source names no publisher is placed under a department named after the source.
 */
export class DepartmentResolver {
  private readonly cache = new Map<string, Promise<LocalProvider>>();
  private regions: Promise<RegionNames[]> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly source: HarvestSourceRef,
  ) {}

  resolve(publisher: RemotePublisher | null): Promise<LocalProvider> {
    const p = publisher ?? {
      name: this.source.name,
      unifiedSocialCreditCode: null,
      remoteKey: null,
    };
    const key = p.unifiedSocialCreditCode ?? `key:${p.remoteKey ?? ''}|name:${p.name}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.lookUpOrCreate(p);
      // a failure is not cached: the next entry of that publisher tries again
      found.catch(() => this.cache.delete(key));
      this.cache.set(key, found);
    }
    return found;
  }

  /** `hv-` + a digest of source and publisher identity: stable, and unique per pair */
  private codeFor(p: RemotePublisher): string {
    const identity = p.unifiedSocialCreditCode ?? p.remoteKey ?? p.name;
    return `hv-${createHash('sha256').update(`${this.source.id}\u0000${identity}`).digest('hex').slice(0, 16)}`;
  }

  private async find(p: RemotePublisher): Promise<LocalProvider | null> {
    const select = { id: true, unifiedSocialCreditCode: true } as const;
    if (p.unifiedSocialCreditCode) {
      const byCredit = await this.prisma.department.findUnique({
        where: { unifiedSocialCreditCode: p.unifiedSocialCreditCode },
        select,
      });
      if (byCredit) return byCredit;
    }
    const own = await this.prisma.department.findUnique({
      where: { code: this.codeFor(p) },
      select,
    });
    if (own) return own;
    const byName = await this.prisma.department.findMany({
      where: { name: p.name },
      select,
      orderBy: [{ harvestSourceId: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    });
    return (
      byName.find(
        (d) =>
          !p.unifiedSocialCreditCode ||
          !d.unifiedSocialCreditCode ||
          d.unifiedSocialCreditCode === p.unifiedSocialCreditCode,
      ) ?? null
    );
  }

  /** the regions below the source's, deepest first, each with the names it may go by */
  private async loadRegions(): Promise<RegionNames[]> {
    const rows = await this.prisma.$queryRaw<{ id: string; names: string[] }[]>`
      WITH RECURSIVE tree AS (
        SELECT id, ARRAY[name]::text[] AS names, ARRAY[id] AS ids FROM regions WHERE parent_id IS NULL
        UNION ALL
        SELECT r.id, t.names || r.name::text, t.ids || r.id
          FROM regions r JOIN tree t ON r.parent_id = t.id)
      SELECT id::text AS id, names FROM tree
       WHERE ${this.source.regionId}::uuid = ANY (ids) AND id <> ${this.source.regionId}::uuid
       ORDER BY cardinality(names) DESC`;
    // 余杭区, 杭州市余杭区, 浙江省杭州市余杭区: the region's name after any of its ancestors'
    return rows.map(({ id, names }) => ({
      id,
      prefixes: names.map((_, i) => names.slice(i).join('')),
    }));
  }

  /** the deepest region below the source's that the name begins with, else the source's */
  private async regionFor(name: string): Promise<string> {
    if (!this.regions) {
      this.regions = this.loadRegions();
      // a failure is not kept: the next new department tries again
      this.regions.catch(() => (this.regions = undefined));
    }
    const regions = await this.regions;
    const match = regions.find((r) =>
      r.prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length),
    );
    return match?.id ?? this.source.regionId;
  }

  private async lookUpOrCreate(p: RemotePublisher): Promise<LocalProvider> {
    const existing = await this.find(p);
    if (existing) return existing;
    try {
      return await this.prisma.department.create({
        data: {
          code: this.codeFor(p),
          name: p.name,
          unifiedSocialCreditCode: p.unifiedSocialCreditCode,
          kind: 'other',
          regionId: await this.regionFor(p.name),
          harvestSourceId: this.source.id,
        },
        select: { id: true, unifiedSocialCreditCode: true },
      });
    } catch (error) {
      // another process created it a moment ago
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const again = await this.find(p);
        if (again) return again;
      }
      throw error;
    }
  }
}
