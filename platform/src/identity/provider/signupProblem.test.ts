import { describe, expect, it } from 'vitest';
import { pageLocale, pageMessages, PAGE_LOCALES } from './pageMessages.ts';
import { loginPage, signupPage } from './pages.ts';
import { signupProblems, type SignupForm } from './signupProblem.ts';

const valid: SignupForm = {
  username: 'wang.kaifa_01',
  displayName: '王开发',
  email: 'wang@example.com',
  password: 'correct horse battery',
};

describe('signupProblems', () => {
  it('accepts a form at every limit, and refuses one step beyond it', () => {
    expect(signupProblems(valid)).toEqual([]);
    const at: Partial<SignupForm>[] = [
      { username: 'abc' },
      { username: 'a'.repeat(32) },
      { displayName: '名'.repeat(50) },
      { email: `${'e'.repeat(188)}@example.com` },
      { password: 'p'.repeat(10) },
      { password: 'p'.repeat(200) },
    ];
    for (const fields of at) expect(signupProblems({ ...valid, ...fields })).toEqual([]);

    expect(signupProblems({ ...valid, username: 'ab' })).toEqual(['username']);
    expect(signupProblems({ ...valid, username: 'a'.repeat(33) })).toEqual(['username']);
    expect(signupProblems({ ...valid, username: '.abc' })).toEqual(['username']);
    expect(signupProblems({ ...valid, displayName: '' })).toEqual(['displayNameMissing']);
    expect(signupProblems({ ...valid, displayName: '名'.repeat(51) })).toEqual([
      'displayNameTooLong',
    ]);
    expect(signupProblems({ ...valid, email: `${'e'.repeat(189)}@example.com` })).toEqual([
      'emailTooLong',
    ]);
    expect(signupProblems({ ...valid, email: 'not-an-email' })).toEqual(['email']);
    expect(signupProblems({ ...valid, password: 'p'.repeat(9) })).toEqual(['password']);
    expect(signupProblems({ ...valid, password: 'p'.repeat(201) })).toEqual(['password']);
  });

  it('names every field that is wrong at once, one problem each, in the order of the page', () => {
    expect(
      signupProblems({ username: 'ab', displayName: '', email: 'a@localhost', password: 'short' }),
    ).toEqual(['username', 'displayNameMissing', 'email', 'password']);
    expect(
      signupProblems({ ...valid, displayName: '名'.repeat(51), email: `${'e'.repeat(200)}@x.cn` }),
    ).toEqual(['displayNameTooLong', 'emailTooLong']);
  });

  it.each(PAGE_LOCALES)(
    'says each problem, and only its fields point at the message (%s)',
    (locale) => {
      const t = pageMessages(locale);
      const html = signupPage({
        locale,
        t,
        uid: 'u1',
        problems: ['displayNameMissing', 'email'],
        values: { username: 'wang', displayName: '', email: 'a@localhost' },
      });
      const alert = /<p class="error" role="alert" id="([^"]+)">([^<]*)<\/p>/.exec(html);
      expect(alert?.[2]).toBe(
        t.signup.problemList([t.signup.problems.displayNameMissing, t.signup.problems.email]),
      );
      const marked = (id: string) =>
        new RegExp(
          `<input id="${id}"[^>]*aria-invalid="true" aria-describedby="${alert?.[1]}"`,
        ).test(html);
      expect(['username', 'displayName', 'email', 'password'].filter(marked)).toEqual([
        'displayName',
        'email',
      ]);
      // a taken account: the username or the email, the page does not say which
      const taken = signupPage({ locale, t, uid: 'u1', problems: ['taken'] });
      expect(taken.match(/aria-invalid="true"/g)).toHaveLength(2);
      expect(signupPage({ locale, t, uid: 'u1' })).not.toMatch(/aria-invalid|role="alert"/);
    },
  );

  it.each(PAGE_LOCALES)('names the field in each message by its label (%s)', (locale) => {
    const { signup } = pageMessages(locale);
    const name = (label: string) => label.replace(/（.*）$|\s*\(.*\)$/u, '').toLowerCase();
    const labels: Record<keyof typeof signup.problems, string[]> = {
      username: [signup.usernameLabel],
      displayNameMissing: [signup.displayNameLabel],
      displayNameTooLong: [signup.displayNameLabel],
      email: [signup.emailLabel],
      emailTooLong: [signup.emailLabel],
      password: [signup.passwordLabel],
      taken: [signup.usernameLabel, signup.emailLabel],
    };
    for (const [problem, named] of Object.entries(labels))
      for (const label of named)
        expect(signup.problems[problem as keyof typeof labels].toLowerCase(), problem).toContain(
          name(label),
        );
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

describe('loginPage', () => {
  it('reads the question and the sign-up link as words apart in English, together in Chinese', () => {
    const text = (locale: 'zh-CN' | 'en') =>
      /<p class="alt">(.*)<\/p>/
        .exec(loginPage({ locale, t: pageMessages(locale), uid: 'u1', clientName: 'portal' }))![1]!
        .replace(/<[^>]+>/g, '');
    expect(text('en')).toBe('No account yet? Sign up as a developer');
    expect(text('zh-CN')).toBe('还没有账号？注册开发者账号');
  });
});
