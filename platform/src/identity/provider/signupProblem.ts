import { SIGNUP_LIMITS, type SignupProblem } from './pageMessages.ts';

export interface SignupForm {
  username: string;
  displayName: string;
  email: string;
  password: string;
}

const USERNAME = new RegExp(`^${SIGNUP_LIMITS.usernamePattern}$`);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The first thing wrong with a sign-up form, in the order the fields appear on the page, or
 * undefined when the account may be created. Each problem names the limit that was broken, so
 * the message the page shows for it can state that limit.
 */
export function signupProblem(form: SignupForm): SignupProblem | undefined {
  const { displayNameMax, emailMax, passwordMin, passwordMax } = SIGNUP_LIMITS;
  if (!USERNAME.test(form.username)) return 'username';
  if (form.displayName.length === 0) return 'displayNameMissing';
  if (form.displayName.length > displayNameMax) return 'displayNameTooLong';
  if (form.email.length > emailMax) return 'emailTooLong';
  if (!EMAIL.test(form.email)) return 'email';
  if (form.password.length < passwordMin || form.password.length > passwordMax) return 'password';
  return undefined;
}
