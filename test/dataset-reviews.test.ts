// 评分与评论 through the real catalog: signed-in people rate a published open dataset 1–5 with
// an optional comment, one review each (changed and deleted by its author only); everyone reads
// the average, the count and the comments newest first, authors masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hashPassword } from '@gx/platform';
import { call, startHarness, type Harness } from './harness.ts';
import { publishEmptyOpenDataset } from './fixtures.ts';

let h: Harness;
let code: string;
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);

/** A second person with the developer role, signed in through the embedded provider. */
async function addDeveloper(username: string, displayName: string) {
  await h.db.prisma.user.create({
    data: {
      username,
      displayName,
      kind: 'developer',
      roles: ['developer'],
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  return h.token(username);
}

beforeAll(async () => {
  h = await startHarness();
  code = await publishEmptyOpenDataset(h, '公共自行车站点（评价测试）', '评价测试用数据集');
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('评分与评论', () => {
  it('rates, changes, lists newest first with the average, and deletes only one’s own', async () => {
    const empty = await catalog('GET', `/v1/resources/${code}/reviews`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ average: null, count: 0, items: [], mine: null });

    const dev = await h.token('developer');
    const first = await catalog('PUT', `/v1/resources/${code}/reviews/mine`, {
      token: dev,
      body: { rating: 2, comment: '<script>alert(1)</script> 字段说明不够清楚' },
    });
    expect(first.status).toBe(200);
    // changing replaces, never adds
    const changed = await catalog('PUT', `/v1/resources/${code}/reviews/mine`, {
      token: dev,
      body: { rating: 4, comment: '更新及时，字段说明清楚' },
    });
    expect(changed.body).toMatchObject({ id: first.body.id, rating: 4, mine: true });

    const other = await addDeveloper('reviewer2', '李娜');
    await catalog('PUT', `/v1/resources/${code}/reviews/mine`, {
      token: other,
      body: { rating: 5, comment: '  ' },
    });

    const list = await catalog('GET', `/v1/resources/${code}/reviews`, { token: dev });
    expect(list.body).toMatchObject({ average: 4.5, count: 2 });
    expect(list.body.items.map((r: { rating: number }) => r.rating)).toEqual([5, 4]);
    expect(list.body.items[0]).toMatchObject({ author: '李**', comment: null, mine: false });
    expect(list.body.mine).toMatchObject({ rating: 4, comment: '更新及时，字段说明清楚' });
    const anonymous = await catalog('GET', `/v1/resources/${code}/reviews`);
    expect(anonymous.body.mine).toBeNull();
    expect(JSON.stringify(anonymous.body)).not.toContain('reviewer2');

    // limits and who may write
    const bad = (body: unknown, token?: string) =>
      catalog('PUT', `/v1/resources/${code}/reviews/mine`, { token, body });
    expect((await bad({ rating: 6 }, dev)).status).toBe(400);
    expect((await bad({ rating: 0 }, dev)).status).toBe(400);
    expect((await bad({ rating: 3, comment: '长'.repeat(501) }, dev)).status).toBe(400);
    expect((await bad({ rating: 3 })).status).toBe(401);
    expect((await bad({ rating: 3 }, await h.token('hz-gaj.steward'))).status).toBe(403);
    expect(
      (
        await catalog('PUT', '/v1/resources/101001001-002489129-999999/reviews/mine', {
          token: dev,
          body: { rating: 3 },
        })
      ).status,
    ).toBe(404);

    // delete one's own: gone from the count; a second delete finds nothing
    const deleted = await catalog('DELETE', `/v1/resources/${code}/reviews/mine`, { token: dev });
    expect(deleted.status).toBe(204);
    expect(
      (await catalog('DELETE', `/v1/resources/${code}/reviews/mine`, { token: dev })).status,
    ).toBe(404);
    const after = await catalog('GET', `/v1/resources/${code}/reviews`);
    expect(after.body).toMatchObject({ average: 5, count: 1 });
  });
});
