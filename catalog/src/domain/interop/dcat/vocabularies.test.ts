import { describe, expect, it } from 'vitest';
import { accessRightOf, FREQUENCIES, publisherTypeOf, THEME_TO_EU } from './vocabularies.ts';

const AR = 'http://publications.europa.eu/resource/authority/access-right/';

describe('mapping to the EU vocabularies', () => {
  it.each([
    ['open', 'unconditional', 'PUBLIC'],
    ['open', 'none', 'PUBLIC'],
    ['conditional', 'unconditional', 'RESTRICTED'],
    ['conditional', 'none', 'RESTRICTED'],
    ['none', 'unconditional', 'RESTRICTED'],
    ['none', 'conditional', 'RESTRICTED'],
    ['none', 'none', 'NON_PUBLIC'],
  ] as const)('开放 %s + 共享 %s → %s', (openType, sharingType, expected) => {
    expect(accessRightOf(openType, sharingType).iri).toBe(AR + expected);
  });

  it('gives every update cycle a distinct EU frequency', () => {
    const iris = Object.values(FREQUENCIES).map((f) => f.iri);
    expect(new Set(iris).size).toBe(iris.length);
    expect(FREQUENCIES.realtime.iri).toMatch(/\/frequency\/UPDATE_CONT$/);
    expect(FREQUENCIES.yearly.iri).toMatch(/\/frequency\/ANNUAL$/);
  });

  it('maps each of the five base databases to an EU data theme', () => {
    for (const base of ['population', 'legal-entity', 'spatial', 'credit', 'e-license']) {
      expect(THEME_TO_EU[base]?.length, base).toBeGreaterThan(0);
    }
  });

  it('types a province body as regional, a city or district body as local, an SOE as company', () => {
    expect(publisherTypeOf('agency', 'province').iri).toMatch(/RegionalAuthority$/);
    expect(publisherTypeOf('court', 'district').iri).toMatch(/LocalAuthority$/);
    expect(publisherTypeOf('state_enterprise', 'city').iri).toMatch(/Company$/);
  });
});
