import type { PrismaClient } from '@gx/migrations';

/**
 * The data authority (数据主管部门) that reviews a department's entries: the one in the
 * department's own region, else the nearest one up the region tree (a district department's
 * entries go to the city's 大数据局 when the district has none).
 */
export async function dataAuthorityFor(
  prisma: PrismaClient,
  departmentCode: string,
): Promise<string | undefined> {
  const rows = await prisma.$queryRaw<{ code: string }[]>`
    WITH RECURSIVE up AS (
      SELECT r.id, r.parent_id, 0 AS depth
        FROM departments d JOIN regions r ON r.id = d.region_id
       WHERE d.code = ${departmentCode}
      UNION ALL
      SELECT r.id, r.parent_id, up.depth + 1 FROM regions r JOIN up ON r.id = up.parent_id
    )
    SELECT d.code FROM up JOIN departments d ON d.region_id = up.id AND d.is_data_authority
     ORDER BY up.depth LIMIT 1`;
  return rows[0]?.code;
}
