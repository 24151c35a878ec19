import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { findAccountByLogin } from './accounts.ts';
import { PORTAL_CLIENT_ID } from './createEmbeddedProvider.ts';
import { pageLocale, pageMessages } from './pageMessages.ts';
import { loginPage, signupPage, type PageLanguage } from './pages.ts';
import { signupProblems } from './signupProblem.ts';

/** Failed logins per login name in the current minute; blunts password guessing. */
class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(private readonly limitPerMinute = 10) {}
  blocked(login: string): boolean {
    const entry = this.failures.get(login.toLowerCase());
    return !!entry && Date.now() - entry.since < 60_000 && entry.count >= this.limitPerMinute;
  }
  fail(login: string) {
    const key = login.toLowerCase();
    const entry = this.failures.get(key);
    if (!entry || Date.now() - entry.since >= 60_000)
      this.failures.set(key, { count: 1, since: Date.now() });
    else entry.count += 1;
  }
  succeed(login: string) {
    this.failures.delete(login.toLowerCase());
  }
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The language the client asked the pages to speak (`ui_locales` of the authorization request,
 * which the interaction keeps for every step of it, sign-up included).
 */
function pageLanguage(details: InteractionDetails): PageLanguage {
  const locale = pageLocale(details.params.ui_locales);
  return { locale, t: pageMessages(locale) };
}

/**
 * Whom the login page says the visitor is signing in to: our portal by its site name in the
 * page's language (its registered client_name is in Chinese only), any other client by name.
 */
async function clientLabel(
  provider: Provider,
  details: InteractionDetails,
  { t }: PageLanguage,
): Promise<string> {
  const clientId = String(details.params.client_id);
  if (clientId === PORTAL_CLIENT_ID) return t.siteName;
  return (await provider.Client.find(clientId))?.clientName ?? t.siteName;
}

/**
 * The provider's user-facing steps: sign in, sign up as a developer, and consent (granted
 * automatically: the only interactive client is our own portal).
 */
export function interactionRoutes(provider: Provider, pool: Pool, logger: Logger): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const throttle = new LoginThrottle();

  router.get('/interaction/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== req.params.uid) throw new Error('interaction mismatch');
      if (details.prompt.name === 'login') {
        const language = pageLanguage(details);
        const clientName = await clientLabel(provider, details, language);
        res.type('html').send(loginPage({ ...language, uid: details.uid, clientName }));
        return;
      }
      // consent: our portal is first-party, so grant what it asked for
      const accountId = details.session!.accountId;
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch (error) {
      next(error);
    }
  });

  router.post('/interaction/:uid/login', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const login = String(req.body?.login ?? '').trim();
      const password = String(req.body?.password ?? '');
      const language = pageLanguage(details);
      const { t } = language;
      const clientName = await clientLabel(provider, details, language);
      const page = (error: string) =>
        loginPage({ ...language, uid: details.uid, clientName, login, error });
      // an empty field is a slip, not a guess: say what is missing and do not count it
      if (!login || !password) {
        res.status(400).type('html').send(page(t.login.missing));
        return;
      }
      if (throttle.blocked(login)) {
        res.status(429).type('html').send(page(t.login.throttled));
        return;
      }
      const account = await findAccountByLogin(pool, login);
      const ok =
        !!account &&
        account.status === 'active' &&
        (await verifyPassword(password, account.passwordHash));
      if (!ok) {
        throttle.fail(login);
        logger.info({ login }, 'failed login');
        res.status(401).type('html').send(page(t.login.wrong));
        return;
      }
      throttle.succeed(login);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.id } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/interaction/:uid/signup', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      res.type('html').send(signupPage({ ...pageLanguage(details), uid: details.uid }));
    } catch (error) {
      next(error);
    }
  });

  router.post('/interaction/:uid/signup', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const language = pageLanguage(details);
      const values = {
        username: String(req.body?.username ?? '').trim(),
        displayName: String(req.body?.displayName ?? '').trim(),
        email: String(req.body?.email ?? '')
          .trim()
          .toLowerCase(),
      };
      const password = String(req.body?.password ?? '');
      const problems = signupProblems({ ...values, password });
      if (problems.length > 0) {
        res
          .status(400)
          .type('html')
          .send(signupPage({ ...language, uid: details.uid, values, problems }));
        return;
      }
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO users (username, display_name, email, kind, roles, password_hash)
         VALUES ($1, $2, $3, 'developer', '{developer}', $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [values.username, values.displayName, values.email, await hashPassword(password)],
      );
      if (!rows[0]) {
        res
          .status(409)
          .type('html')
          .send(signupPage({ ...language, uid: details.uid, values, problems: ['taken'] }));
        return;
      }
      logger.info({ username: values.username }, 'developer signed up');
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: rows[0].id } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  return router;
}
