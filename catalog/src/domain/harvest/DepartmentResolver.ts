import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '@gx/migrations';
import type { RemotePublisher } from './remoteEntry.ts';

/** The local department an entry is placed under. */
export interface LocalProvider {
  id: string;
  /** null only for a department this harvesting created for a publisher that gave none */
  unifiedSocialCreditCode: string | null;
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
 * 4. otherwise a new department, marked as harvested, in the source's region.
 * An entry whose source names no publisher is placed under a department named after the source.
 */
export class DepartmentResolver {
  private readonly cache = new Map<string, Promise<LocalProvider>>();

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
          regionId: this.source.regionId,
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
