import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { findAccountByLogin } from './accounts.ts';
import { loginPage, signupPage } from './pages.ts';

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
        const client = await provider.Client.find(String(details.params.client_id));
        res
          .type('html')
          .send(loginPage({ uid: details.uid, clientName: client?.clientName ?? '政务数据平台' }));
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
      const client = await provider.Client.find(String(details.params.client_id));
      const clientName = client?.clientName ?? '政务数据平台';
      if (throttle.blocked(login)) {
        res
          .status(429)
          .type('html')
          .send(
            loginPage({
              uid: details.uid,
              clientName,
              login,
              error: '尝试次数过多，请一分钟后再试',
            }),
          );
        return;
      }
      const account = login ? await findAccountByLogin(pool, login) : undefined;
      const ok =
        !!account &&
        account.status === 'active' &&
        (await verifyPassword(password, account.passwordHash));
      if (!ok) {
        throttle.fail(login);
        logger.info({ login }, 'failed login');
        res
          .status(401)
          .type('html')
          .send(loginPage({ uid: details.uid, clientName, login, error: '用户名或密码错误' }));
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
      res.type('html').send(signupPage({ uid: details.uid }));
    } catch (error) {
      next(error);
    }
  });

  router.post('/interaction/:uid/signup', form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const values = {
        username: String(req.body?.username ?? '').trim(),
        displayName: String(req.body?.displayName ?? '').trim(),
        email: String(req.body?.email ?? '')
          .trim()
          .toLowerCase(),
      };
      const password = String(req.body?.password ?? '');
      const problem = !/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/.test(values.username)
        ? '用户名应为 3–32 位字母、数字、点或横线'
        : values.displayName.length === 0 || values.displayName.length > 50
          ? '请填写姓名或昵称（不超过 50 字）'
          : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || values.email.length > 200
            ? '邮箱格式不正确'
            : password.length < 10 || password.length > 200
              ? '密码至少 10 位'
              : undefined;
      if (problem) {
        res
          .status(400)
          .type('html')
          .send(signupPage({ uid: details.uid, values, error: problem }));
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
          .send(signupPage({ uid: details.uid, values, error: '用户名或邮箱已被注册' }));
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
