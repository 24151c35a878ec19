// A directory entry's states have one name everywhere staff meet them: the steward's pages, the
// data authority's dashboard and CSV, and the catalog's own messages (Excel import errors, a
// refused workflow step) — 草稿, 审核中, 已发布, 已下线, as national directory practice says.
import { describe, expect, it } from 'vitest';
import { SCHEMA_CHANGE_KINDS } from '../../catalog/src/domain/resources/recordSchema.ts';
import { RESOURCE_STATUS_LABEL } from '../../catalog/src/domain/resources/statusLabel.ts';
import { authorityText } from '../../portal/src/lib/i18n/console/authority.ts';
import { stewardText } from '../../portal/src/lib/i18n/console/steward.ts';

const NAMES = { draft: '草稿', in_review: '审核中', published: '已发布', retired: '已下线' };

describe("the names of a directory entry's states", () => {
  it('are the same in the console and in the catalog', () => {
    const steward = stewardText('zh-CN');
    const authority = authorityText('zh-CN');
    expect(RESOURCE_STATUS_LABEL).toEqual(NAMES);
    expect(authority.status).toEqual(NAMES);
    for (const [code, name] of Object.entries(NAMES)) {
      expect(steward.status[code]).toBe(name);
      expect(authority.csvMetrics[code as keyof typeof NAMES]).toBe(name);
    }
    // the step that takes an entry off the directory is 下线, its result 已下线
    expect(steward.action.retire).toBe('下线');
    expect(steward.resourcesLead).toContain('已下线');
    expect(JSON.stringify({ steward, authority })).not.toMatch(/退役|待审核/);
  });

  it('agree in English too', () => {
    const steward = stewardText('en');
    const authority = authorityText('en');
    expect(authority.status).toEqual({
      draft: 'Draft',
      in_review: 'In review',
      published: 'Published',
      retired: 'Retired',
    });
    for (const [code, name] of Object.entries(authority.status)) {
      expect(steward.status[code]).toBe(name);
    }
  });
});

describe("the kinds of a record schema's changes", () => {
  it('each have a name in the console, in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const named = stewardText(locale).changeKinds;
      expect(Object.keys(named).sort(), locale).toEqual([...SCHEMA_CHANGE_KINDS].sort());
      for (const kind of SCHEMA_CHANGE_KINDS) expect(named[kind], kind).not.toMatch(/^[a-z-]+$/);
    }
  });
});
