import type { PrismaClient } from '@gx/migrations';
import type { PublishedProvider } from './publishedCatalog.ts';

/** Who publishes the catalogue as a whole, and for which region. */
export interface CatalogPublisher {
  /** the data authority (数据主管部门) nearest the root of the region tree */
  authority: PublishedProvider;
  /** the region the catalogue covers: the authority's */
  region: { code: string; name: string; level: string };
  /** e.g. 杭州市公共数据目录 */
  title: string;
  description: string;
}

const LEVEL_RANK: Record<string, number> = { province: 0, city: 1, district: 2, street: 3 };

/**
 * The catalogue's publisher and title. An instance serves one administrative level (a city, a
 * province); its top data authority speaks for the whole catalogue, entries of its districts
 * included. Without a data authority the top-most department stands in, so that the export
 * still names a publisher (DCAT-AP requires one).
 */
export async function loadCatalogPublisher(prisma: PrismaClient): Promise<CatalogPublisher> {
  const candidates = await prisma.department.findMany({
    where: { isDataAuthority: true },
    include: { region: true },
    orderBy: { code: 'asc' },
  });
  const pool = candidates.length
    ? candidates
    : await prisma.department.findMany({ include: { region: true }, orderBy: { code: 'asc' } });
  const top = [...pool].sort(
    (a, b) => (LEVEL_RANK[a.region.level] ?? 9) - (LEVEL_RANK[b.region.level] ?? 9),
  )[0];
  if (!top) throw new Error('no department: the catalogue has no publisher');
  const region = { code: top.region.code, name: top.region.name, level: top.region.level };
  return {
    authority: {
      id: top.id,
      code: top.code,
      name: top.name,
      shortName: top.shortName,
      unifiedSocialCreditCode: top.unifiedSocialCreditCode,
      kind: top.kind,
      contactName: top.contactName,
      contactPhone: top.contactPhone,
      contactEmail: top.contactEmail,
      region,
    },
    region,
    title: `${region.name}公共数据目录`,
    description: `${top.name}发布的${region.name}政务数据资源目录：各部门已发布的信息资源，含共享和开放属性、更新周期和开放数据的下载与接口。`,
  };
}
