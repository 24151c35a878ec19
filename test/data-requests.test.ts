// 数据需求 through the real catalog: a signed-in developer asks for data, everyone reads the list
// (newest first, paged, without the requester's contact), the wanted department's steward
// answers publicly (已答复, 已开放 with a published dataset, 暂不开放 with a reason) and nobody
// else may answer for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './harness.ts';
import { publishEmptyOpenDataset } from './fixtures.ts';

let h: Harness;
const catalog = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.catalog.base, method, path, options);

beforeAll(async () => {
  h = await startHarness();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** A published entry of 杭州市公安局 (hz-gaj), the dataset an answer can point at. */
async function publish(name: string): Promise<string> {
  return publishEmptyOpenDataset(h, name, `${name}（数据需求测试）`);
}

const ask = async (title: string, extra: Record<string, unknown> = {}) =>
  catalog('POST', '/v1/data-requests', {
    token: await h.token('developer'),
    body: {
      title,
      description: `希望开放${title}，用于便民服务小程序`,
      contact: 'zhangwei@example.cn',
      ...extra,
    },
  });

describe('数据需求', () => {
  it('a developer asks; the public sees it newest first without the contact', async () => {
    expect((await ask('停车场实时空位')).status).toBe(201);
    const second = await ask('公共自行车站点', { wantedDepartment: 'hz-gaj' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      title: '公共自行车站点',
      wantedDepartment: { code: 'hz-gaj' },
      status: 'pending',
      statusLabel: '待答复',
      answer: null,
      contact: 'zhangwei@example.cn',
      mine: true,
    });

    const list = await catalog('GET', '/v1/data-requests?pageSize=1');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].title).toBe('公共自行车站点');
    expect(list.body.items[0]).not.toHaveProperty('contact');
    const page2 = await catalog('GET', '/v1/data-requests?pageSize=1&page=2');
    expect(page2.body.items[0].title).toBe('停车场实时空位');

    // the wanted department's steward sees how to reach the requester; another does not
    const own = await catalog('GET', `/v1/data-requests/${second.body.id}`, {
      token: await h.token('hz-gaj.steward'),
    });
    expect(own.body.contact).toBe('zhangwei@example.cn');
    const other = await catalog('GET', `/v1/data-requests/${second.body.id}`, {
      token: await h.token('hz-mzj.steward'),
    });
    expect(other.body).not.toHaveProperty('contact');
  });

  it('refuses anonymous, department and malformed requests', async () => {
    const anonymous = await catalog('POST', '/v1/data-requests', {
      body: { title: '某数据', description: '说明', contact: '123' },
    });
    expect(anonymous.status).toBe(401);
    const steward = await catalog('POST', '/v1/data-requests', {
      token: await h.token('hz-gaj.steward'),
      body: { title: '某数据', description: '说明', contact: '123' },
    });
    expect(steward.status).toBe(403);
    expect((await ask('x'.repeat(101))).status).toBe(400);
    expect((await ask('   ')).status).toBe(400);
    expect((await ask('某数据', { wantedDepartment: 'no-such-dept' })).status).toBe(400);
    expect((await catalog('GET', '/v1/data-requests/not-a-uuid')).status).toBe(400);
    expect(
      (await catalog('GET', '/v1/data-requests/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('the wanted department answers publicly: 已答复, 已开放 with a dataset, 暂不开放 with a reason', async () => {
    const code = await publish('公共自行车站点分布');
    const asked = await ask('公共自行车租还点', { wantedDepartment: 'hz-gaj' });
    const id = asked.body.id as string;
    const answer = (token: string, body: Record<string, unknown>) =>
      catalog('POST', `/v1/data-requests/${id}/answer`, { token, body });
    const gaj = await h.token('hz-gaj.steward');

    // not the wanted department, not a steward, not the requester
    expect(
      (await answer(await h.token('hz-mzj.steward'), { status: 'answered', answer: '好' })).status,
    ).toBe(403);
    expect(
      (await answer(await h.token('developer'), { status: 'answered', answer: '好' })).status,
    ).toBe(403);
    // 已开放 needs a published dataset
    expect((await answer(gaj, { status: 'opened', answer: '已开放' })).status).toBe(400);
    expect(
      (
        await answer(gaj, {
          status: 'opened',
          answer: '已开放',
          datasetCode: '101001001-002489129-999999',
        })
      ).status,
    ).toBe(400);

    const answered = await answer(gaj, { status: 'answered', answer: '正在梳理，预计下月开放' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', statusLabel: '已答复' });
    const opened = await answer(gaj, {
      status: 'opened',
      answer: '已开放，请查看数据集',
      datasetCode: code,
    });
    expect(opened.body).toMatchObject({
      status: 'opened',
      statusLabel: '已开放',
      answer: { text: '已开放，请查看数据集', datasetCode: code, department: { code: 'hz-gaj' } },
    });
    // the public sees the answer
    const seen = await catalog('GET', `/v1/data-requests/${id}`);
    expect(seen.body.answer).toMatchObject({ datasetCode: code });
    expect(seen.body).not.toHaveProperty('contact');

    // a request naming no department: any department's steward answers for their own
    const open = await ask('全市充电桩');
    const declined = await catalog('POST', `/v1/data-requests/${open.body.id}/answer`, {
      token: await h.token('hz-mzj.steward'),
      body: { status: 'declined', answer: '涉及企业经营信息，暂不开放' },
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({
      status: 'declined',
      statusLabel: '暂不开放',
      answer: {
        text: '涉及企业经营信息，暂不开放',
        datasetCode: null,
        department: { code: 'hz-mzj' },
      },
    });
    const filtered = await catalog('GET', '/v1/data-requests?status=declined');
    expect(filtered.body.items.map((r: { id: string }) => r.id)).toContain(open.body.id);
    expect(filtered.body.items.every((r: { status: string }) => r.status === 'declined')).toBe(
      true,
    );
  });
});
