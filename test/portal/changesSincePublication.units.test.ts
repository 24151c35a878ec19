// What approving an entry would change, from its history: each field once, from the value it was
// published with to the value under review, however many saves it took.
import { describe, expect, it } from 'vitest';
import { changesSincePublication } from '../../portal/src/lib/console/approver/changesSincePublication.ts';

const item = (name: string, label: string, extra: Record<string, unknown> = {}) => ({
  name,
  label,
  dataType: 'string',
  ...extra,
});

describe('the changes since the last publication', () => {
  it('is undefined for an entry never published', () => {
    expect(
      changesSincePublication([
        { action: 'create', diff: [{ path: '/', before: null, after: { name: '甲' } }] },
        { action: 'submit', diff: [{ path: '/status', before: 'draft', after: 'in_review' }] },
      ]),
    ).toBeUndefined();
  });

  it('reads only the edits after the last approval, each field from its first to its last value', () => {
    expect(
      changesSincePublication([
        { action: 'update', diff: [{ path: '/abstract', before: '旧', after: '更旧' }] },
        { action: 'approve', diff: [{ path: '/status', before: 'in_review', after: 'published' }] },
        { action: 'revise', diff: [{ path: '/status', before: 'published', after: 'draft' }] },
        { action: 'update', diff: [{ path: '/abstract', before: '更旧', after: '新一' }] },
        {
          action: 'import',
          diff: [
            { path: '/abstract', before: '新一', after: '新二' },
            { path: '/keywords', before: ['甲'], after: ['乙'] },
          ],
        },
        { action: 'update', diff: [{ path: '/keywords', before: ['乙'], after: ['甲'] }] },
        { action: 'submit', diff: [{ path: '/status', before: 'draft', after: 'in_review' }] },
      ]),
    ).toEqual([{ path: '/abstract', before: '更旧', after: '新二' }]);
  });

  it('folds the attributes of an item added or removed since into the item', () => {
    const approve = { action: 'approve', diff: [] };
    expect(
      changesSincePublication([
        approve,
        // added, then relabelled: one addition with the new label
        { action: 'update', diff: [{ path: '/items/a', before: null, after: item('a', '甲') }] },
        { action: 'update', diff: [{ path: '/items/a/label', before: '甲', after: '甲一' }] },
        // relabelled, then removed: one removal of the item as published
        { action: 'update', diff: [{ path: '/items/b/label', before: '乙', after: '乙一' }] },
        { action: 'update', diff: [{ path: '/items/b', before: item('b', '乙一'), after: null }] },
        // removed and added again differently: the attributes that differ
        { action: 'update', diff: [{ path: '/items/c', before: item('c', '丙'), after: null }] },
        {
          action: 'update',
          diff: [{ path: '/items/c', before: null, after: item('c', '丙', { maxLength: 8 }) }],
        },
      ]),
    ).toEqual([
      { path: '/items/a', before: null, after: item('a', '甲一') },
      { path: '/items/b', before: item('b', '乙'), after: null },
      { path: '/items/c/maxLength', before: null, after: 8 },
    ]);
  });
});
