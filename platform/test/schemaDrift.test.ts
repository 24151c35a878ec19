import type pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '@gx/migrations';
import { createTestDatabase, testPool, type TestDatabase } from '../src/testing/index.ts';
import {
  findSchemaDrift,
  readDatamodel,
  type Datamodel,
} from '../src/db/migrations/schemaDrift.ts';

describe('schema.prisma and the SQL migrations', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let prisma: PrismaClient;
  let datamodel: Datamodel;

  beforeAll(async () => {
    db = await createTestDatabase('migrated');
    pool = testPool({ connectionString: db.url, max: 2 });
    prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    datamodel = await readDatamodel();
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await db.drop();
  });

  it('describe the same tables, columns, types, keys and enums', async () => {
    const client = await pool.connect();
    try {
      expect(await findSchemaDrift(client, datamodel)).toEqual([]);
    } finally {
      client.release();
    }
  });

  it('the drift check notices a column the SQL has and the schema lacks', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE departments ADD COLUMN fax varchar(40)');
      await client.query('ALTER TABLE users ALTER COLUMN phone SET NOT NULL');
      const drift = await findSchemaDrift(client, datamodel);
      expect(drift).toContain('Department: column departments.fax has no field in schema.prisma');
      expect(drift).toContain('User.phone (users.phone): column is NOT NULL, schema says optional');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('the Prisma client reads every column of every model', async () => {
    const delegates = prisma as unknown as Record<
      string,
      { findMany(args: object): Promise<unknown[]> }
    >;
    for (const model of datamodel.models) {
      const delegate = delegates[model.name[0]!.toLowerCase() + model.name.slice(1)];
      expect(delegate, `delegate for ${model.name}`).toBeDefined();
      const select = Object.fromEntries(
        model.fields.filter((f) => f.kind !== 'object').map((f) => [f.name, true]),
      );
      await expect(delegate!.findMany({ select, take: 1 })).resolves.toBeInstanceOf(Array);
    }
  });

  it('the Prisma client writes and reads the organisation model end to end', async () => {
    const province = await prisma.region.create({
      data: { code: '330000000000', name: '浙江省', level: 'province' },
    });
    const city = await prisma.region.create({
      data: { code: '330100000000', name: '杭州市', level: 'city', parentId: province.id },
    });
    const department = await prisma.department.create({
      data: {
        code: 'hz-gaj',
        name: '杭州市公安局',
        shortName: '市公安局',
        unifiedSocialCreditCode: '11330100002489123X',
        kind: 'agency',
        regionId: city.id,
        contactName: '王敏',
        contactPhone: '0571-87280000',
        contactEmail: 'data@gaj.hangzhou.gov.cn',
      },
    });
    const steward = await prisma.user.create({
      data: {
        username: 'gaj.steward',
        displayName: '李静',
        email: 'lijing@gaj.hangzhou.gov.cn',
        phone: '13800000000',
        kind: 'staff',
        roles: ['steward'],
        departmentId: department.id,
      },
    });
    const system = await prisma.serviceSystem.create({
      data: {
        departmentId: department.id,
        name: '人口信息核验系统',
        clientId: 'hz-gaj-population',
        description: '户籍人口核验',
      },
    });
    const developer = await prisma.user.create({
      data: { username: 'dev.zhang', displayName: '张伟', kind: 'developer', roles: ['developer'] },
    });

    const loaded = await prisma.region.findUniqueOrThrow({
      where: { id: province.id },
      include: {
        children: { include: { departments: { include: { users: true, systems: true } } } },
      },
    });
    expect(loaded.children[0]?.name).toBe('杭州市');
    const hzDepartment = loaded.children[0]?.departments[0];
    expect(hzDepartment?.unifiedSocialCreditCode).toBe('11330100002489123X');
    expect(hzDepartment?.users.map((u) => u.roles)).toEqual([['steward']]);
    expect(hzDepartment?.systems[0]?.clientId).toBe('hz-gaj-population');
    expect(steward.status).toBe('active');
    expect(system.status).toBe('active');
    expect(developer.departmentId).toBeNull();

    const renamed = await prisma.department.update({
      where: { id: department.id },
      data: { shortName: '公安局' },
    });
    expect(renamed.updatedAt.getTime()).toBeGreaterThanOrEqual(department.updatedAt.getTime());
    await prisma.serviceSystem.update({ where: { id: system.id }, data: { status: 'disabled' } });
    await prisma.serviceSystem.delete({ where: { id: system.id } });
    expect(await prisma.serviceSystem.count()).toBe(0);
  });

  it('the database refuses what the model forbids', async () => {
    // a staff account needs a department; a second root region must be a province
    await expect(
      prisma.user.create({ data: { username: 'nobody', displayName: '无部门', kind: 'staff' } }),
    ).rejects.toThrow();
    await expect(
      prisma.region.create({ data: { code: '330200000000', name: '宁波市', level: 'city' } }),
    ).rejects.toThrow();
    await expect(
      prisma.region.create({ data: { code: '33', name: '坏代码', level: 'province' } }),
    ).rejects.toThrow();
  });
});
