/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women) and a check character (ISO 7064 MOD 11-2: 0–9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export const ID_NUMBER_PATTERN =
  /^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;

/** Check character over the first 17 digits. */
export function idNumberCheck(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('an ID number body is 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function isValidIdNumber(id: string): boolean {
  if (!ID_NUMBER_PATTERN.test(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birth) return false;
  return idNumberCheck(id.slice(0, 17)) === id[17];
}

/**
 * Sequence codes the demo uses: 990–999 only. Real numbers draw the sequence from 001 upwards
 * per address code and birth date, so the demo's people are recognisably invented (every
 * demo ID number ends in 99x plus its check character) while the numbers stay well-formed.
 */
export const DEMO_ID_SEQUENCES = { min: 990, max: 999 } as const;

/** Build a well-formed ID number; `sequence` odd for men, even for women. */
export function makeIdNumber(addressCode: string, birthDate: string, sequence: number): string {
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheck(first17);
}
