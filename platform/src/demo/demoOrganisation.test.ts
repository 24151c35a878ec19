import { describe, expect, it } from 'vitest';
import { isValidUnifiedSocialCreditCode } from '../organisation/unifiedSocialCreditCode.ts';
import {
  DEMO_DEPARTMENTS,
  DEMO_REGIONS,
  DEMO_SYSTEMS,
  DEMO_USERS,
  PERSON_ROLES,
} from './demoOrganisation.ts';

describe('demo organisation', () => {
  it('is internally consistent', () => {
    const regions = new Set(DEMO_REGIONS.map((r) => r.code));
    const departments = new Set(DEMO_DEPARTMENTS.map((d) => d.code));
    for (const r of DEMO_REGIONS) if (r.parentCode) expect(regions.has(r.parentCode)).toBe(true);
    for (const d of DEMO_DEPARTMENTS) {
      expect(regions.has(d.regionCode)).toBe(true);
      expect(isValidUnifiedSocialCreditCode(d.unifiedSocialCreditCode), d.name).toBe(true);
    }
    for (const u of DEMO_USERS)
      if (u.departmentCode) expect(departments.has(u.departmentCode)).toBe(true);
    for (const s of DEMO_SYSTEMS) expect(departments.has(s.departmentCode)).toBe(true);
    expect(new Set(DEMO_USERS.map((u) => u.username)).size).toBe(DEMO_USERS.length);
    // an account for every role
    for (const role of PERSON_ROLES)
      expect(
        DEMO_USERS.some((u) => u.roles.includes(role)),
        role,
      ).toBe(true);
  });
});
