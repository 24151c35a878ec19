export const DELIVERY_MODES = ['query', 'verify', 'bulk', 'subscription'] as const;
type DeliveryMode = (typeof DELIVERY_MODES)[number];

/**
 * The body of `POST /v1/sharing-requests` as this form builds it (written out rather than taken
 * from the generated types, so that this module stays free of them; `api.ts` passes it to the
 * generated client, whose type the portal's typecheck holds it to).
 */
export interface SharingRequestBody {
  resourceCode: string;
  fields: string[];
  purposeCodes: string[];
  purposeText: string;
  deliveryModes: DeliveryMode[];
  legalBasisFunctionCode?: string;
  legalBasisText?: string;
  periodStart?: string;
  periodEnd?: string;
  expectedVolume?: string;
}

/** What the exchange accepts (schemas/openapi/exchange-sharing.yaml), checked here first. */
const PURPOSE_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_PURPOSES = 10;

/** A problem with the request form, by kind, for the page to phrase in the visitor's language. */
export type RequestFormProblem =
  'fields' | 'purposes' | 'purposeText' | 'modes' | 'legalBasis' | 'period' | 'date';

const text = (form: FormData, name: string, max: number) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
const all = (form: FormData, name: string) =>
  form.getAll(name).filter((v): v is string => typeof v === 'string');

/**
 * The sharing request a steward's form asks for, or the problems that keep it from being sent
 * and the inputs (by name; a checkbox group by the name its boxes share) they are about, for the
 * page to mark: both halves of the legal basis when neither was given, both dates when they
 * disagree. Only the resource's own items are asked for; the exchange checks everything again
 * (purpose codes against its list, the statutory function against the department's).
 */
export function requestFromForm(
  form: FormData,
  resourceCode: string,
  items: readonly string[],
):
  | { body: SharingRequestBody; problems: [] }
  | { body?: undefined; problems: RequestFormProblem[]; inputs: string[] } {
  const problems: RequestFormProblem[] = [];
  const inputs: string[] = [];
  const refuse = (problem: RequestFormProblem, ...names: string[]) => {
    problems.push(problem);
    inputs.push(...names);
  };
  const fields = all(form, 'fields').filter((f) => FIELD_NAME.test(f) && items.includes(f));
  if (fields.length === 0) refuse('fields', 'fields');
  const purposeCodes = [...new Set(all(form, 'purposeCodes').filter((c) => PURPOSE_CODE.test(c)))];
  if (purposeCodes.length === 0 || purposeCodes.length > MAX_PURPOSES)
    refuse('purposes', 'purposeCodes');
  const purposeText = text(form, 'purposeText', 2000);
  if ([...purposeText].length < 4) refuse('purposeText', 'purposeText');
  const modes = all(form, 'deliveryModes').filter((m): m is DeliveryMode =>
    (DELIVERY_MODES as readonly string[]).includes(m),
  );
  if (modes.length === 0) refuse('modes', 'deliveryModes');
  const legalBasisFunctionCode = text(form, 'legalBasisFunctionCode', 64);
  const legalBasisText = text(form, 'legalBasisText', 2000);
  if (!legalBasisFunctionCode && !legalBasisText)
    refuse('legalBasis', 'legalBasisFunctionCode', 'legalBasisText');
  const periodStart = text(form, 'periodStart', 10);
  const periodEnd = text(form, 'periodEnd', 10);
  const malformed = [
    ...(periodStart && !DATE.test(periodStart) ? ['periodStart'] : []),
    ...(periodEnd && !DATE.test(periodEnd) ? ['periodEnd'] : []),
  ];
  if (malformed.length > 0) refuse('date', ...malformed);
  else if (periodStart && periodEnd && periodEnd < periodStart)
    refuse('period', 'periodStart', 'periodEnd');
  const expectedVolume = text(form, 'expectedVolume', 200);
  if (problems.length > 0) return { problems, inputs };
  return {
    problems: [],
    body: {
      resourceCode,
      // every item asked for is the same request as none named; name them so the record says so
      fields,
      purposeCodes,
      purposeText,
      deliveryModes: [...new Set(modes)],
      ...(legalBasisFunctionCode ? { legalBasisFunctionCode } : {}),
      ...(legalBasisText ? { legalBasisText } : {}),
      ...(periodStart ? { periodStart } : {}),
      ...(periodEnd ? { periodEnd } : {}),
      ...(expectedVolume ? { expectedVolume } : {}),
    },
  };
}
