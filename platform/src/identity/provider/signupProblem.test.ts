import { describe, expect, it } from 'vitest';
import { pageLocale, pageMessages, PAGE_LOCALES } from './pageMessages.ts';
import { signupProblem, type SignupForm } from './signupProblem.ts';

const valid: SignupForm = {
  username: 'wang.kaifa_01',
  displayName: '王开发',
  email: 'wang@example.com',
  password: 'correct horse battery',
};

describe('signupProblem', () => {
  it('accepts a form at every limit, and refuses one step beyond it', () => {
    expect(signupProblem(valid)).toBeUndefined();
    const at: Partial<SignupForm>[] = [
      { username: 'abc' },
      { username: 'a'.repeat(32) },
      { displayName: '名'.repeat(50) },
      { email: `${'e'.repeat(188)}@example.com` },
      { password: 'p'.repeat(10) },
      { password: 'p'.repeat(200) },
    ];
    for (const fields of at) expect(signupProblem({ ...valid, ...fields })).toBeUndefined();

    expect(signupProblem({ ...valid, username: 'ab' })).toBe('username');
    expect(signupProblem({ ...valid, username: 'a'.repeat(33) })).toBe('username');
    expect(signupProblem({ ...valid, username: '.abc' })).toBe('username');
    expect(signupProblem({ ...valid, displayName: '' })).toBe('displayNameMissing');
    expect(signupProblem({ ...valid, displayName: '名'.repeat(51) })).toBe('displayNameTooLong');
    expect(signupProblem({ ...valid, email: `${'e'.repeat(189)}@example.com` })).toBe(
      'emailTooLong',
    );
    expect(signupProblem({ ...valid, email: 'not-an-email' })).toBe('email');
    expect(signupProblem({ ...valid, password: 'p'.repeat(9) })).toBe('password');
    expect(signupProblem({ ...valid, password: 'p'.repeat(201) })).toBe('password');
  });

  it.each(PAGE_LOCALES)('states the broken limit in its message (%s)', (locale) => {
    const { problems } = pageMessages(locale).signup;
    expect(problems.username).toMatch(/3–32/);
    expect(problems.displayNameTooLong).toMatch(/50/);
    expect(problems.emailTooLong).toMatch(/200/);
    expect(problems.password).toMatch(/10–200/);
  });
});

describe('pageLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans en', 'zh-CN'],
    ['fr en', 'en'],
    ['fr de', 'zh-CN'],
    ['english', 'zh-CN'],
    [['en'], 'zh-CN'],
  ])('reads ui_locales %j as %s', (uiLocales, locale) => {
    expect(pageLocale(uiLocales)).toBe(locale);
  });
});
