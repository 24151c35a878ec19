import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../test/harness.ts';
import { approvedRequest, grantedPeopleResource } from '../../../test/fixtures.ts';
import { until } from '@gx/platform/testing';
import { GrantDirectory } from './grantDirectory.ts';
import { PgNotifications } from './pgNotifications.ts';

/**
 * Workers keep each resource's active subscription grants for a moment. A grant approved in
 * that moment must reach them at once (`grant_changed` on insert, migration
 * 20261124110000_grant_insert_notify), or the records enforced meanwhile would miss it.
 */
let h: Harness;
let notifications: PgNotifications;

beforeAll(async () => {
  h = await startHarness();
  notifications = new PgNotifications(h.db.pool, h.logs.logger);
});

afterAll(async () => {
  await notifications?.close();
  await h?.close();
});

describe('the grant directory of a worker', () => {
  it('hears of a grant approved after it listed the resource’s grants, and lists it', async () => {
    const granted = await grantedPeopleResource(h, {}, 1);
    const { rows } = await h.db.pool.query<{ id: string }>(
      'SELECT id FROM resources WHERE code = $1',
      [granted.resourceCode],
    );
    const resourceId = rows[0]!.id;
    const announced: string[] = [];
    notifications.on('grant_changed', (id) => announced.push(id));
    const directory = new GrantDirectory(h.db.pool, notifications);
    await notifications.start();
    expect((await directory.subscriptionGrants(resourceId)).map((g) => g.id)).toEqual([
      granted.grantId,
    ]);

    const { grantId } = await approvedRequest(h, granted.resourceCode, {}, 'hz-mzj-system');
    await until(
      'the new grant announced on grant_changed',
      async () => (announced.includes(grantId) ? true : undefined),
      10_000,
    );
    const listed = (await directory.subscriptionGrants(resourceId)).map((g) => g.id);
    expect(listed.sort()).toEqual([granted.grantId, grantId].sort());
    expect(
      (await directory.subscriptionGrants(resourceId)).find((g) => g.id === grantId)?.consumerCode,
    ).toBe('hz-mzj');
  });
});
