import { CkanValidationError, MESSAGES } from './ckanErrors.ts';

/**
 * CKAN's data dict: the action's parameters, from the query string (values are strings, lists
 * when a name repeats), a form, or a JSON body (any JSON value). The readers below accept all
 * three the way CKAN's validators do (ckan/logic/validators.py) and collect every problem, so
 * that one 409 Validation Error names them all.
 */
export type DataDict = Record<string, unknown>;

export class ParamProblems {
  private readonly fields: Record<string, string[]> = {};

  add(field: string, message: string): void {
    (this.fields[field] ??= []).push(message);
  }

  /** Throw CKAN's Validation Error when anything was added. */
  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw new CkanValidationError(this.fields);
  }
}

/** No value at all: absent, null, or a blank string (CKAN's `ignore_missing` and `default`). */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}

/**
 * CKAN's `int_validator`: whole numbers, or strings Python's `int()` reads (optional sign,
 * digits, surrounding blanks). Undefined when blank; 'invalid' otherwise.
 */
export function parseInteger(value: unknown): number | undefined | 'invalid' {
  if (isBlank(value)) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? value : 'invalid';
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const n = Number(value.trim());
    // beyond 2^53 a number is not exact; nothing here needs that many, so cap it
    return Number.isSafeInteger(n) ? n : Math.sign(n) * Number.MAX_SAFE_INTEGER;
  }
  return 'invalid';
}

/** CKAN's `natural_number_validator` (0, 1, 2 …), with its messages. */
export function naturalNumber(
  dict: DataDict,
  key: string,
  problems: ParamProblems,
): number | undefined {
  const n = parseInteger(dict[key]);
  if (n === 'invalid') problems.add(key, MESSAGES.invalidInteger);
  else if (n !== undefined && n < 0) problems.add(key, MESSAGES.notNaturalNumber);
  else return n;
  return undefined;
}

/** CKAN's `int_validator` alone (negative values allowed, e.g. `facet.limit=-1`). */
export function integer(dict: DataDict, key: string, problems: ParamProblems): number | undefined {
  const n = parseInteger(dict[key]);
  if (n === 'invalid') {
    problems.add(key, MESSAGES.invalidInteger);
    return undefined;
  }
  return n;
}

/** CKAN's `asbool` as the actions use it: true, yes, on, y, t, 1 (any case); else false. */
export function asBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return false;
  return ['true', 'yes', 'on', 'y', 't', '1'].includes(value.trim().toLowerCase());
}

/**
 * CKAN's `unicode_safe`: a string as given, anything else as its JSON text; a list of strings
 * (a repeated query parameter) as its values joined by blanks, which is what the caller meant
 * (CKAN would pass on the list's JSON text).
 */
export function text(dict: DataDict, key: string, problems: ParamProblems): string | undefined {
  const value = dict[key];
  if (value === undefined || value === null) return undefined;
  const s =
    typeof value === 'string'
      ? value
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? value.join(' ')
        : JSON.stringify(value);
  // PostgreSQL text cannot hold NUL; nothing a person types contains one
  if (s.includes('\u0000')) {
    problems.add(key, MESSAGES.invalidCharacters);
    return undefined;
  }
  return s;
}

/** A string list given as a list, or as one string that CKAN decodes as JSON. */
export function jsonListOfStrings(
  dict: DataDict,
  key: string,
  problems: ParamProblems,
): string[] | undefined {
  let value = dict[key];
  if (isBlank(value)) return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      problems.add(key, MESSAGES.notJson);
      return undefined;
    }
  }
  if (!Array.isArray(value)) {
    problems.add(key, MESSAGES.notList);
    return undefined;
  }
  if (!value.every((v) => typeof v === 'string')) {
    problems.add(key, MESSAGES.notString);
    return undefined;
  }
  return value as string[];
}

/**
 * A list of strings given as a list, as repeated parameters, or as one string separated by
 * commas or blanks (CKAN's `convert_to_list_if_string`, as `fl` and `groups` are read).
 */
export function stringList(dict: DataDict, key: string): string[] | undefined {
  const value = dict[key];
  if (isBlank(value)) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(/[\s,]+/) : [String(v)],
  );
  return parts.filter((p) => p.length > 0);
}

/** A list of strings given as a list or repeated parameters, each kept whole (`fq_list`). */
export function wholeStrings(
  dict: DataDict,
  key: string,
  problems: ParamProblems,
): string[] | undefined {
  const value = dict[key];
  if (isBlank(value)) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) {
    problems.add(key, MESSAGES.notString);
    return undefined;
  }
  if (list.some((v) => v.includes('\u0000'))) {
    problems.add(key, MESSAGES.invalidCharacters);
    return undefined;
  }
  return list;
}

/** CKAN's `_get_or_bust`: the parameter, or a Validation Error with "Missing value". */
export function requiredText(dict: DataDict, key: string): string {
  const problems = new ParamProblems();
  const value = text(dict, key, problems);
  problems.throwIfAny();
  if (value === undefined || !value.trim()) {
    throw new CkanValidationError({ [key]: [MESSAGES.missingValue] });
  }
  return value.trim();
}
