import {
  SIGNUP_LIMITS,
  type PageLocale,
  type PageMessages,
  type SignupProblem,
} from './pageMessages.ts';
import { SIGNUP_PROBLEM_FIELDS, type SignupField } from './signupProblem.ts';

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What every page needs to speak the visitor's language. */
export interface PageLanguage {
  locale: PageLocale;
  t: PageMessages;
}

function layout({ locale, t }: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escape(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · ${escape(t.siteName)}</title>
<style>
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; background: #f3f5f8; color: #1f2329; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem 2.25rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p.sub { color: #4e5969; margin: 0 0 1.5rem; }
  label { display: block; margin: 1rem 0 .35rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .6rem .7rem; font-size: 1rem; border: 1px solid #86909c; border-radius: 4px; }
  input:focus { outline: 3px solid #9ec5fe; border-color: #1d4ed8; }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  button:focus { outline: 3px solid #9ec5fe; }
  .error { background: #fdecee; color: #a8071a; padding: .6rem .8rem; border-radius: 4px; margin-bottom: 1rem; }
  .alt { margin-top: 1.25rem; text-align: center; }
  a { color: #1d4ed8; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage(
  options: PageLanguage & {
    uid: string;
    clientName: string;
    error?: string;
    login?: string;
  },
): string {
  const { t } = options;
  return layout(
    options,
    t.login.title,
    `<h1>${escape(t.login.title)}</h1>
<p class="sub">${escape(t.login.continueTo(options.clientName))}</p>
${options.error ? `<p class="error" role="alert">${escape(options.error)}</p>` : ''}
<form method="post" action="/interaction/${escape(options.uid)}/login" autocomplete="on">
  <label for="login">${escape(t.login.loginLabel)}</label>
  <input id="login" name="login" value="${escape(options.login)}" required autofocus autocomplete="username">
  <label for="password">${escape(t.login.passwordLabel)}</label>
  <input id="password" name="password" type="password" required autocomplete="current-password">
  <button type="submit">${escape(t.login.submit)}</button>
</form>
<p class="alt">${escape(t.login.noAccount)}<a href="/interaction/${escape(options.uid)}/signup">${escape(t.login.signupLink)}</a></p>`,
  );
}

/** the refusal's alert, which the fields it is about point at */
const SIGNUP_ERROR_ID = 'signup-error';

/**
 * The sign-up form; refused, it says every problem (each names its field) and the fields they
 * are about carry aria-invalid and point at the message.
 */
export function signupPage(
  options: PageLanguage & {
    uid: string;
    problems?: readonly SignupProblem[];
    values?: { username?: string; displayName?: string; email?: string };
  },
): string {
  const { t } = options;
  const v = options.values ?? {};
  const limits = SIGNUP_LIMITS;
  const problems = options.problems ?? [];
  const refused = new Set(problems.flatMap((p) => SIGNUP_PROBLEM_FIELDS[p]));
  const invalid = (field: SignupField) =>
    refused.has(field) ? ` aria-invalid="true" aria-describedby="${SIGNUP_ERROR_ID}"` : '';
  const error = t.signup.problemList(problems.map((p) => t.signup.problems[p]));
  return layout(
    options,
    t.signup.title,
    `<h1>${escape(t.signup.title)}</h1>
<p class="sub">${escape(t.signup.lead)}</p>
${error ? `<p class="error" role="alert" id="${SIGNUP_ERROR_ID}">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(options.uid)}/signup">
  <label for="username">${escape(t.signup.usernameLabel)}</label>
  <input id="username" name="username" value="${escape(v.username)}" required pattern="${escape(limits.usernamePattern)}" autocomplete="username"${invalid('username')}>
  <label for="displayName">${escape(t.signup.displayNameLabel)}</label>
  <input id="displayName" name="displayName" value="${escape(v.displayName)}" required maxlength="${limits.displayNameMax}" autocomplete="name"${invalid('displayName')}>
  <label for="email">${escape(t.signup.emailLabel)}</label>
  <input id="email" name="email" type="email" value="${escape(v.email)}" required maxlength="${limits.emailMax}" autocomplete="email"${invalid('email')}>
  <label for="password">${escape(t.signup.passwordLabel)}</label>
  <input id="password" name="password" type="password" required minlength="${limits.passwordMin}" maxlength="${limits.passwordMax}" autocomplete="new-password"${invalid('password')}>
  <button type="submit">${escape(t.signup.submit)}</button>
</form>
<p class="alt"><a href="/interaction/${escape(options.uid)}">${escape(t.signup.loginLink)}</a></p>`,
  );
}
