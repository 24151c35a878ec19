/**
 * JSON Schema (ajv) validation failures in Chinese, for the people who read our problems:
 * stewards and approvers in the console, developers calling the APIs. Two entries: an ajv
 * error object (keyword and params), or, where only ajv's English sentence survives (the
 * OpenAPI validator passes on `message` and `errorCode`, not the params), that sentence.
 * A message is never quoted with the offending value, which may be a secret.
 */

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '字符串',
  integer: '整数',
  number: '数值',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
};

// a format whose name a steward would not know; the others keep theirs (date-time, uri…)
const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  email: '不是有效的电子邮箱地址',
  date: '应为实际存在的日期（YYYY-MM-DD）',
  'date-time': '应为带时区的日期时间（如 2026-11-24T09:30:00+08:00）',
  time: '应为带时区的时间（如 09:30:00+08:00）',
  uri: '应为完整的网址（如 https://example.gov.cn/api）',
  uuid: '应为 UUID',
};

/** The Chinese message of an ajv error by its keyword and params; undefined if unknown. */
export function chineseAjvMessage(
  keyword: string,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  const limit = String(params.limit);
  switch (keyword) {
    case 'required':
      return '必填';
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return '不认识的字段';
    case 'type': {
      const types = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      return `应为${types.join('或')}`;
    }
    case 'enum':
      return Array.isArray(params.allowedValues)
        ? `取值应为 ${params.allowedValues.map((v) => JSON.stringify(v)).join(' / ')}`
        : '取值不在允许的范围内';
    case 'const':
      return `取值应为 ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return '格式不正确';
    case 'format':
      return FORMAT_MESSAGES[String(params.format)] ?? `应为 ${String(params.format)} 格式`;
    case 'minLength':
      return `长度至少为 ${limit}`;
    case 'maxLength':
      return `长度至多为 ${limit}`;
    case 'minimum':
      return `不能小于 ${limit}`;
    case 'maximum':
      return `不能大于 ${limit}`;
    case 'exclusiveMinimum':
      return `须大于 ${limit}`;
    case 'exclusiveMaximum':
      return `须小于 ${limit}`;
    case 'multipleOf':
      return `须为 ${String(params.multipleOf)} 的倍数`;
    case 'minItems':
      return `至少 ${limit} 项`;
    case 'maxItems':
      return `至多 ${limit} 项`;
    case 'uniqueItems':
      return '不能有重复项';
    case 'minProperties':
      return `至少 ${limit} 个字段`;
    case 'maxProperties':
      return `至多 ${limit} 个字段`;
    case 'propertyNames':
      return '字段名不符合要求';
    case 'dependentRequired':
      return `同时须填写 ${String(params.missingProperty)}`;
    case 'oneOf':
    case 'anyOf':
      return '不符合任何一种允许的形式';
    case 'not':
      return '不允许的取值';
    case 'if':
      return '不满足条件约束';
    default:
      return undefined;
  }
}

/** ajv's English sentences (ajv 8, en) with the params each one carries. */
const SENTENCES: readonly [RegExp, string, (m: RegExpExecArray) => Record<string, unknown>][] = [
  [/^must have required property '(.*)'$/, 'required', () => ({})],
  [/^must NOT have (?:additional|unevaluated) properties$/, 'additionalProperties', () => ({})],
  [
    /^must be ((?:string|integer|number|boolean|object|array|null)(?:,\w+)*)$/,
    'type',
    (m) => ({ type: m[1] }),
  ],
  [
    /^must be equal to one of the allowed values(?:: (.*))?$/,
    'enum',
    (m) => (m[1] !== undefined ? { allowedValues: m[1].split(', ') } : {}),
  ],
  [/^must be equal to constant$/, 'enum', () => ({})],
  [/^must match pattern /, 'pattern', () => ({})],
  [/^must match format "(.*)"$/, 'format', (m) => ({ format: m[1] })],
  [/^must NOT have fewer than (\d+) characters$/, 'minLength', (m) => ({ limit: m[1] })],
  [/^must NOT have more than (\d+) characters$/, 'maxLength', (m) => ({ limit: m[1] })],
  [/^must NOT have fewer than (\d+) items$/, 'minItems', (m) => ({ limit: m[1] })],
  [/^must NOT have more than (\d+) items$/, 'maxItems', (m) => ({ limit: m[1] })],
  [/^must NOT have fewer than (\d+) properties$/, 'minProperties', (m) => ({ limit: m[1] })],
  [/^must NOT have more than (\d+) properties$/, 'maxProperties', (m) => ({ limit: m[1] })],
  [/^must NOT have duplicate items/, 'uniqueItems', () => ({})],
  [/^must be >= (\S+)$/, 'minimum', (m) => ({ limit: m[1] })],
  [/^must be <= (\S+)$/, 'maximum', (m) => ({ limit: m[1] })],
  [/^must be > (\S+)$/, 'exclusiveMinimum', (m) => ({ limit: m[1] })],
  [/^must be < (\S+)$/, 'exclusiveMaximum', (m) => ({ limit: m[1] })],
  [/^must be multiple of (\S+)$/, 'multipleOf', (m) => ({ multipleOf: m[1] })],
  [/^must match (?:exactly one schema in oneOf|a schema in anyOf)$/, 'oneOf', () => ({})],
  [/^must NOT be valid$/, 'not', () => ({})],
  [/^must match "(?:then|else)" schema$/, 'if', () => ({})],
  [/^property name must be valid$/, 'propertyNames', () => ({})],
];

/** The OpenAPI validator's own sentences (query string, media type, URL). */
const VALIDATOR_SENTENCES: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Unknown query parameter '.*'$/, () => '不支持的查询参数'],
  [/^Empty value found for query parameter '.*'$/, () => '查询参数不能为空'],
  [/^Parameter '.*' must be url encoded/, () => '须经 URL 编码（不能含保留字符）'],
  [/^unsupported media type (.*)$/, (m) => `不支持的内容类型 ${m[1]}`],
  [/^media type not specified$/, () => '缺少 Content-Type'],
  [/^malformed uri/, () => '地址格式无效'],
];

/**
 * One validation message in Chinese: ajv's English sentence, or the OpenAPI validator's own
 * (unknown or empty query parameters). A message already in Chinese, or one not recognised,
 * is returned as it is (better English than nothing).
 */
export function chineseValidationMessage(message: string): string {
  if (/[\u4e00-\u9fff]/u.test(message)) return message;
  const own = VALIDATOR_SENTENCES.find(([pattern]) => pattern.test(message));
  if (own) return own[1](own[0].exec(message)!);
  for (const [pattern, keyword, params] of SENTENCES) {
    const match = pattern.exec(message);
    if (match) return chineseAjvMessage(keyword, params(match)) ?? message;
  }
  return message;
}
