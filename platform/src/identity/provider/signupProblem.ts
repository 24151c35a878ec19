import { SIGNUP_LIMITS, type SignupProblem } from './pageMessages.ts';

export interface SignupForm {
  username: string;
  displayName: string;
  email: string;
  password: string;
}

/** The sign-up page's inputs, by name. */
export type SignupField = keyof SignupForm;

/**
 * The inputs each problem is about, for the page to mark: an account that exists already has
 * the username or the email taken, and the page does not say which (it would tell whether an
 * address is registered).
 */
export const SIGNUP_PROBLEM_FIELDS: Record<SignupProblem, readonly SignupField[]> = {
  username: ['username'],
  displayNameMissing: ['displayName'],
  displayNameTooLong: ['displayName'],
  email: ['email'],
  emailTooLong: ['email'],
  password: ['password'],
  taken: ['username', 'email'],
};

const USERNAME = new RegExp(`^${SIGNUP_LIMITS.usernamePattern}$`);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Everything wrong with a sign-up form, one problem per field at most, in the order the fields
 * appear on the page; empty when the account may be created. Each problem names the limit that
 * was broken, so the message the page shows for it can state that limit.
 */
export function signupProblems(form: SignupForm): SignupProblem[] {
  const { displayNameMax, emailMax, passwordMin, passwordMax } = SIGNUP_LIMITS;
  const problems: SignupProblem[] = [];
  if (!USERNAME.test(form.username)) problems.push('username');
  if (form.displayName.length === 0) problems.push('displayNameMissing');
  else if (form.displayName.length > displayNameMax) problems.push('displayNameTooLong');
  if (form.email.length > emailMax) problems.push('emailTooLong');
  else if (!EMAIL.test(form.email)) problems.push('email');
  if (form.password.length < passwordMin || form.password.length > passwordMax)
    problems.push('password');
  return problems;
}
