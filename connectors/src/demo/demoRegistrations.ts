import {
  DEMO_DEPARTMENTS,
  DEMO_DIRECTORY_SEED,
  generateDemoDirectory,
  type Random,
} from '@gx/platform';

/** The resource the demo moves: 市场监督管理局's 企业登记信息 (city level, not a district's). */
export const REGISTRATION_RESOURCE = { providerCode: 'hz-scjg', name: '企业登记信息' } as const;

/** One row of the registration system: the resource's information items, by name. */
export type Registration = Record<string, string | number | boolean>;

/** Today in Beijing (`YYYY-MM-DD`): the date a registration is approved on. */
export function beijingToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The 企业登记信息 records the demo directory generates with `seed`, from the same item
 * generators the catalogued resource was built with, so they satisfy its record schema.
 */
function generatedRegistrations(seed: number): Registration[] {
  const departments = DEMO_DEPARTMENTS.filter((d) => d.code === REGISTRATION_RESOURCE.providerCode);
  const entry = generateDemoDirectory({ seed, departments }).resources.find(
    (r) => r.input.name === REGISTRATION_RESOURCE.name,
  );
  if (!entry) throw new Error(`the demo directory has no ${REGISTRATION_RESOURCE.name}`);
  return entry.records.map(({ data }) => {
    const row = { ...data } as Registration;
    // the generator draws both dates independently; a register never approves before founding
    if (
      typeof row.approved_on === 'string' &&
      typeof row.established_on === 'string' &&
      row.approved_on < row.established_on
    ) {
      row.approved_on = row.established_on;
    }
    return row;
  });
}

/**
 * The registration system's first rows: the first `count` enterprises of the demo directory's
 * own 企业登记信息 (same seed), so the system and the exchange's hosted copy name the same
 * enterprises. Deterministic: the same rows on every machine.
 */
export function initialRegistrations(count: number): Registration[] {
  return generatedRegistrations(DEMO_DIRECTORY_SEED).slice(0, count);
}

/**
 * Newly founded enterprises, one at a time: generated from further seeds (so they are not in
 * the hosted copy), skipping credit codes the system already holds, founded and approved today.
 */
export class NewRegistrations {
  readonly #taken: Set<string>;
  readonly #keyField: string;
  #seed = DEMO_DIRECTORY_SEED;
  #pending: Registration[] = [];

  constructor(keyField: string, taken: Iterable<string>) {
    this.#keyField = keyField;
    this.#taken = new Set(taken);
  }

  next(today = beijingToday()): Registration {
    for (;;) {
      if (this.#pending.length === 0) {
        this.#seed += 1;
        this.#pending = generatedRegistrations(this.#seed);
      }
      const candidate = this.#pending.shift()!;
      const key = String(candidate[this.#keyField]);
      if (this.#taken.has(key)) continue;
      this.#taken.add(key);
      return { ...candidate, established_on: today, approved_on: today, status: '存续' };
    }
  }
}

/** A change registration (变更登记 or 注销): the columns it sets, with a label for logs. */
export interface RegistrationChange {
  label: string;
  set: Registration;
}

const CAPITALS = [10, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000];

/**
 * What happens to an existing enterprise: it moves, changes its business scope, raises its
 * capital, or (rarely) is deregistered. `donor` is a freshly generated registration whose
 * address and scope it takes.
 */
export function registrationChange(
  rng: Random,
  current: Registration,
  donor: Registration,
  today = beijingToday(),
): RegistrationChange {
  const roll = rng.next();
  if (roll < 0.1) return { label: '注销登记', set: { status: '注销', approved_on: today } };
  if (roll < 0.4) {
    return {
      label: '住所变更',
      set: { business_address: donor.business_address!, approved_on: today },
    };
  }
  if (roll < 0.7) {
    return {
      label: '经营范围变更',
      set: { business_scope: donor.business_scope!, approved_on: today },
    };
  }
  const capital = Number(current.registered_capital ?? 0);
  const raised = CAPITALS.find((c) => c > capital) ?? capital * 2;
  return { label: '注册资本变更', set: { registered_capital: raised, approved_on: today } };
}
