/** The languages the provider's pages speak: the portal's two, Chinese first. */
export const PAGE_LOCALES = ['zh-CN', 'en'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

/**
 * The page language for an authorization request's `ui_locales` (OIDC Core 3.1.2.1: language
 * tags by preference, space-separated): the first tag we speak wins, by its primary language, so
 * `en-GB` is English and `zh-Hans` Chinese. Nothing we speak, or no parameter, is Chinese.
 */
export function pageLocale(uiLocales: unknown): PageLocale {
  if (typeof uiLocales !== 'string') return 'zh-CN';
  for (const tag of uiLocales.toLowerCase().split(/\s+/)) {
    const language = tag.split('-')[0];
    if (language === 'en') return 'en';
    if (language === 'zh') return 'zh-CN';
  }
  return 'zh-CN';
}

/**
 * The limits the sign-up form enforces, stated once so that the inputs' attributes, the
 * server's checks and the messages cannot disagree. Lengths are UTF-16 code units, as the
 * browser's minlength/maxlength count them.
 */
export const SIGNUP_LIMITS = {
  usernamePattern: '[A-Za-z0-9][A-Za-z0-9._-]{2,31}',
  displayNameMax: 50,
  /** users.email is varchar(200) */
  emailMax: 200,
  passwordMin: 10,
  /** scrypt hashes whatever it gets: the ceiling keeps a sign-up from costing more than that */
  passwordMax: 200,
} as const;

const { displayNameMax, emailMax, passwordMin, passwordMax } = SIGNUP_LIMITS;

/**
 * Every sentence of the sign-in and sign-up pages. `siteName` is the portal's own
 * (portal/src/lib/i18n/messages.ts `siteName`): staff reach these pages from its console and
 * developers from its developer center, so both see the name of the site they came from
 * (test/identity.test.ts keeps the two equal).
 */
const zh = {
  siteName: '杭州市公共数据开放平台',
  login: {
    title: '登录',
    continueTo: (client: string) => `继续访问「${client}」`,
    loginLabel: '用户名或邮箱',
    passwordLabel: '密码',
    submit: '登录',
    noAccount: '还没有账号？',
    signupLink: '注册开发者账号',
    missing: '请填写用户名或邮箱，以及密码',
    wrong: '用户名或密码错误',
    throttled: '尝试次数过多，请一分钟后再试',
  },
  signup: {
    title: '注册开发者账号',
    lead: '注册后可申请 API key、调用开放数据接口',
    usernameLabel: '用户名（3–32 位字母、数字、点、下划线或横线）',
    displayNameLabel: `姓名或昵称（不超过 ${displayNameMax} 字）`,
    emailLabel: '邮箱',
    passwordLabel: `密码（${passwordMin}–${passwordMax} 位）`,
    submit: '注册并登录',
    loginLink: '已有账号，去登录',
    /** a refused form's problems, each naming its field, as one message */
    problemList: (messages: string[]) => messages.join('；'),
    problems: {
      username: '用户名应为 3–32 位字母、数字、点、下划线或横线，并以字母或数字开头',
      displayNameMissing: '请填写姓名或昵称',
      displayNameTooLong: `姓名或昵称不能超过 ${displayNameMax} 字`,
      email: '邮箱格式不正确',
      emailTooLong: `邮箱不能超过 ${emailMax} 个字符`,
      password: `密码长度应为 ${passwordMin}–${passwordMax} 位`,
      taken: '用户名或邮箱已被注册',
    },
  },
  error: { title: '登录出错' },
};

export type PageMessages = typeof zh;
export type SignupProblem = keyof PageMessages['signup']['problems'];

const en: PageMessages = {
  siteName: 'Hangzhou Public Data Open Platform',
  login: {
    title: 'Sign in',
    continueTo: (client: string) => `to continue to ${client}`,
    loginLabel: 'Username or email',
    passwordLabel: 'Password',
    submit: 'Sign in',
    // the link follows the question: English needs the space Chinese does without
    noAccount: 'No account yet? ',
    signupLink: 'Sign up as a developer',
    missing: 'Please enter your username or email, and your password',
    wrong: 'Incorrect username or password',
    throttled: 'Too many attempts. Please try again in a minute',
  },
  signup: {
    title: 'Sign up as a developer',
    lead: 'With an account you can request API keys and call the open-data API',
    usernameLabel: 'Username (3–32 letters, digits, dots, underscores or hyphens)',
    displayNameLabel: `Name or nickname (up to ${displayNameMax} characters)`,
    emailLabel: 'Email',
    passwordLabel: `Password (${passwordMin}–${passwordMax} characters)`,
    submit: 'Sign up and sign in',
    loginLink: 'Already have an account? Sign in',
    problemList: (messages: string[]) => messages.join('. '),
    problems: {
      username:
        'The username must be 3–32 letters, digits, dots, underscores or hyphens, starting with a letter or digit',
      displayNameMissing: 'Please enter a name or nickname',
      displayNameTooLong: `The name or nickname must be at most ${displayNameMax} characters`,
      email: 'The email address is not valid',
      emailTooLong: `The email address must be at most ${emailMax} characters`,
      password: `The password must be ${passwordMin}–${passwordMax} characters long`,
      taken: 'This username or email is already registered',
    },
  },
  error: { title: 'Sign-in error' },
};

export function pageMessages(locale: PageLocale): PageMessages {
  return locale === 'en' ? en : zh;
}
