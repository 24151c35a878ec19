/**
 * Where a harvest puts the publishers it does not know: a new department in the region its
 * name begins with, within the harvest source's region (demo regions: 浙江省 > 杭州市 > 余杭区 …).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDatabase, seedDemo, type Database } from '@gx/platform';
import { createTestDatabase, type TestDatabase } from '@gx/platform/testing';
import { DepartmentResolver } from '../src/domain/harvest/DepartmentResolver.ts';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase({ url: testDb.url, max: 3 });
  await seedDemo(db.pool);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function regionId(code: string): Promise<string> {
  return (await db.prisma.region.findUniqueOrThrow({ where: { code } })).id;
}

/** the region code of the department the resolver makes for a publisher of this name */
async function placed(resolver: DepartmentResolver, name: string): Promise<string> {
  const provider = await resolver.resolve({ name, unifiedSocialCreditCode: null, remoteKey: name });
  const department = await db.prisma.department.findUniqueOrThrow({
    where: { id: provider.id },
    select: { region: { select: { code: true } } },
  });
  return department.region.code;
}

it('puts a new department in the deepest region its name begins with, within the source’s region', async () => {
  const source = await db.prisma.harvestSource.create({
    data: {
      name: '杭州市公共数据开放目录（测试）',
      type: 'ckan',
      url: 'https://data.hangzhou.example/',
      regionId: await regionId('330100000000'),
      fallbackThemeCode: 'government',
      createdBy: 'test',
    },
  });
  const resolver = new DepartmentResolver(db.prisma, source);
  expect(await placed(resolver, '杭州市余杭区数据资源管理局')).toBe('330110000000');
  expect(await placed(resolver, '余杭区农业农村局')).toBe('330110000000');
  expect(await placed(resolver, '浙江省杭州市西湖区文化和广电旅游体育局')).toBe('330106000000');
  expect(await placed(resolver, '西湖区北山街道办事处')).toBe('330106001000');
  // no district in the name: the source's region
  expect(await placed(resolver, '杭州市城市大脑运营中心')).toBe('330100000000');
  expect(await placed(resolver, '钱塘江开放数据联盟')).toBe('330100000000');
  // a region outside the source's is not taken from a name
  const district = await db.prisma.harvestSource.create({
    data: {
      name: '余杭区公共数据开放目录（测试）',
      type: 'ckan',
      url: 'https://data.yuhang.example/',
      regionId: await regionId('330110000000'),
      fallbackThemeCode: 'government',
      createdBy: 'test',
    },
  });
  expect(await placed(new DepartmentResolver(db.prisma, district), '西湖区教育发展研究院')).toBe(
    '330110000000',
  );
});
