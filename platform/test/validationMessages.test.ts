import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { chineseAjvMessage, chineseValidationMessage } from '../src/errors/validationMessages.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const CJK = /[\u4e00-\u9fff]/u;

/** What ajv itself says about a value (every error, English messages as the validator sends). */
function errorsOf(schema: object, value: unknown): ErrorObject[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate(value)).toBe(false);
  return validate.errors ?? [];
}

describe('validation messages in Chinese', () => {
  const cases: [string, object, unknown][] = [
    ['required', { type: 'object', required: ['purpose'] }, {}],
    ['additionalProperties', { type: 'object', additionalProperties: false }, { x: 1 }],
    ['type', { type: 'integer' }, 'x'],
    ['type (union)', { type: ['string', 'null'] }, 1],
    ['enum', { enum: ['open', 'conditional'] }, 'none'],
    ['const', { const: 'x' }, 'y'],
    ['pattern', { type: 'string', pattern: '^[a-z]+$' }, 'A'],
    ['format', { type: 'string', format: 'uuid' }, 'x'],
    ['minLength', { type: 'string', minLength: 4 }, 'ab'],
    ['maxLength', { type: 'string', maxLength: 2 }, 'abc'],
    ['minimum', { type: 'integer', minimum: 1 }, 0],
    ['maximum', { type: 'integer', maximum: 100 }, 1000],
    ['exclusiveMinimum', { type: 'number', exclusiveMinimum: 0 }, 0],
    ['exclusiveMaximum', { type: 'number', exclusiveMaximum: 1 }, 1],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, 7],
    ['minItems', { type: 'array', minItems: 1 }, []],
    ['maxItems', { type: 'array', maxItems: 1 }, [1, 2]],
    ['uniqueItems', { type: 'array', uniqueItems: true }, [1, 1]],
    ['minProperties', { type: 'object', minProperties: 1 }, {}],
    ['maxProperties', { type: 'object', maxProperties: 1 }, { a: 1, b: 2 }],
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, true],
    ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, true],
    ['not', { not: { type: 'string' } }, 'x'],
  ];

  it.each(cases)('%s: the sentence reads as the keyword does, in Chinese', (_, schema, value) => {
    const errors = errorsOf(schema, value);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      const fromKeyword = chineseAjvMessage(error.keyword, error.params);
      expect(fromKeyword).toMatch(CJK);
      // the OpenAPI validator passes on only the English sentence (enum with its values added)
      const sentence =
        error.keyword === 'enum'
          ? `${error.message}: ${(error.params as { allowedValues: string[] }).allowedValues.join(', ')}`
          : error.message!;
      const fromSentence = chineseValidationMessage(sentence);
      expect(fromSentence).toMatch(CJK);
      // ajv's sentence for `const` does not name the constant
      if (error.keyword !== 'const') expect(fromSentence).toBe(fromKeyword);
    }
  });

  it('says the limits and allowed values the schema sets', () => {
    expect(chineseValidationMessage('must be <= 100')).toBe('不能大于 100');
    expect(chineseValidationMessage('must NOT have fewer than 4 characters')).toBe('长度至少为 4');
    expect(chineseValidationMessage('must be equal to one of the allowed values: open, none')).toBe(
      '取值应为 "open" / "none"',
    );
    expect(chineseValidationMessage('must be integer')).toBe('应为整数');
    expect(chineseValidationMessage('must match format "date-time"')).toBe(
      '应为带时区的日期时间（如 2026-11-24T09:30:00+08:00）',
    );
    expect(chineseValidationMessage('must match format "ipv4"')).toBe('应为 ipv4 格式');
    expect(chineseValidationMessage('must match format "email"')).toBe('不是有效的电子邮箱地址');
  });

  it("answers the OpenAPI validator's own sentences and lets the rest through", () => {
    expect(chineseValidationMessage("Unknown query parameter 'zz'")).toBe('不支持的查询参数');
    expect(chineseValidationMessage("Empty value found for query parameter 'q'")).toBe(
      '查询参数不能为空',
    );
    expect(
      chineseValidationMessage(
        "Parameter 'q' must be url encoded. Its value may not contain reserved characters.",
      ),
    ).toBe('须经 URL 编码（不能含保留字符）');
    expect(chineseValidationMessage('unsupported media type text/plain')).toBe(
      '不支持的内容类型 text/plain',
    );
    expect(chineseValidationMessage('必填')).toBe('必填');
    expect(chineseValidationMessage('something new')).toBe('something new');
  });
});
