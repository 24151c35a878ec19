import type { RequestHandler, Response } from 'express';
import { NotAllowedError, QuotaExceededError, UnauthenticatedError } from '../errors/errors.ts';
import { ANONYMOUS, type Actor, type PrincipalActor } from './Actor.ts';
import type { ApiKeyAuthenticator } from './apiKeys/ApiKeyAuthenticator.ts';
import { looksLikeApiKey } from './apiKeys/apiKeyFormat.ts';
import type { TokenVerifier } from './TokenVerifier.ts';

export interface AuthenticateOptions {
  verifier: TokenVerifier;
  apiKeys?: ApiKeyAuthenticator;
}

/**
 * Establish who calls: `Authorization: Bearer <JWT>` (users and department systems),
 * `X-API-Key: gx_…` or `Authorization: Bearer gx_…` (developer keys), or nobody (anonymous).
 * Credentials that are present but wrong answer 401; they never fall back to anonymous. An
 * `X-API-Key` that is not a well-formed key (the docs' placeholder, a token) is refused as an
 * API key (API key 格式无效), never verified as a token.
 */
export function authenticate({ verifier, apiKeys }: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.header('authorization');
      const apiKeyHeader = req.header('x-api-key');
      let credential: string | undefined;
      // X-API-Key only ever carries a developer key: whatever it holds is read as one
      let apiKeyOnly = false;
      if (header) {
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthenticatedError('Authorization 头格式应为 "Bearer <token>"');
        credential = match[1];
      }
      if (apiKeyHeader) {
        if (credential) throw new UnauthenticatedError('请只提供一种凭证');
        credential = apiKeyHeader.trim();
        apiKeyOnly = true;
      }
      if (!credential) {
        res.locals.actor = ANONYMOUS;
      } else if (apiKeyOnly || looksLikeApiKey(credential)) {
        if (!apiKeys) throw new UnauthenticatedError('此接口不接受 API key');
        const result = await apiKeys.authenticate(credential).catch((error: unknown) => {
          // refused for a limit: which one (the per-second rate or the daily quota), none left,
          // and when it resets — as a successful call's headers say it
          if (error instanceof QuotaExceededError) {
            const limit = error.extensions.rateLimit ?? error.extensions.quota;
            if (typeof limit === 'number') res.setHeader('RateLimit-Limit', String(limit));
            res.setHeader('RateLimit-Remaining', '0');
            res.setHeader('RateLimit-Reset', String(error.retryAfterSeconds));
          }
          throw error;
        });
        res.setHeader('RateLimit-Limit', String(result.rateLimit.limit));
        res.setHeader('RateLimit-Remaining', String(result.rateLimit.remaining));
        res.setHeader('RateLimit-Reset', String(result.rateLimit.resetSeconds));
        res.locals.actor = result.actor;
      } else {
        res.locals.actor = await verifier.verify(credential);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The actor `authenticate` established for this request. */
export function actorOf(res: Response): Actor {
  return (res.locals.actor as Actor | undefined) ?? ANONYMOUS;
}

/** For routes only people and systems may call (not API keys, not anonymous). */
export function requirePrincipal(res: Response): PrincipalActor {
  return requirePrincipalActor(actorOf(res));
}

export function requirePrincipalActor(actor: Actor): PrincipalActor {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  if (actor.kind === 'api-key') throw new NotAllowedError('此接口不接受 API key，请使用访问令牌');
  return actor;
}
