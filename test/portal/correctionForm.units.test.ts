import { describe, expect, it } from 'vitest';
import {
  correctedValuesFromForm,
  correctionProblem,
  formWithProblems,
  readableValue,
} from '../../portal/src/lib/console/steward/correctionForm.ts';

const formOf = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
};

describe('the 更正记录 form', () => {
  it('sends the values in the record schema’s types; empty removes a value', () => {
    const form = formOf([
      ['op', 'correct-record'],
      ['type:mobile', 'string'],
      ['value:mobile', ' 13900139000 '],
      ['type:spaces', 'integer'],
      ['value:spaces', '120'],
      ['type:ratio', 'number'],
      ['value:ratio', 'abc'],
      ['type:open', 'boolean'],
      ['value:open', 'false'],
      ['type:note', 'string'],
      ['value:note', ''],
    ]);
    expect(correctedValuesFromForm(form)).toEqual({
      // a string as typed: its spaces may be the correction
      mobile: ' 13900139000 ',
      spaces: 120,
      // not a number: sent as typed, for the exchange to refuse beside the field
      ratio: 'abc',
      open: false,
      note: null,
    });
  });

  it('carries the exchange’s problems back by field, the rest of the form as typed', () => {
    const form = formOf([
      ['card', 'x:record'],
      ['value:name', ''],
    ]);
    const carried = formWithProblems(form, {
      errors: [
        { path: '/values/name', message: '必填' },
        { path: '/values', message: '请至少更正一个信息项' },
      ],
    });
    expect([...carried.entries()]).toEqual([
      ['card', 'x:record'],
      ['value:name', ''],
      ['problem:name', '必填'],
    ]);
    const asCarried = Object.fromEntries(
      [...new Set(carried.keys())].map((k) => [k, carried.getAll(k) as string[]]),
    );
    expect(correctionProblem(asCarried, 'name')).toBe('必填');
    expect(correctionProblem(asCarried, 'mobile')).toBeUndefined();
    expect([...formWithProblems(form, undefined).entries()]).toHaveLength(2);
  });
});

describe('values beside the form and in the record of a correction', () => {
  it('read 是 / 否 for a yes-or-no field, as the form offers them, not true and false', () => {
    const words = { booleanTrue: '是', booleanFalse: '否' };
    expect(readableValue(true, words)).toBe('是');
    expect(readableValue(false, words)).toBe('否');
    expect(readableValue('西湖区', words)).toBe('西湖区');
    expect(readableValue(120, words)).toBe('120');
    expect(readableValue(null, words)).toBe('');
  });
});
