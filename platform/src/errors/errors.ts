/**
 * Business errors. Domain code throws these; one HTTP middleware (problemDetails.ts) maps them
 * to RFC 9457 problem+json, and workers map them to retry / dead-letter / stop. Each error's
 * `code` is the last segment of its stable problem `type` URI, documented in docs/problems.md.
 */

export interface ProblemExtensions {
  [key: string]: unknown;
}

export interface FieldProblem {
  /** JSON pointer or dotted path of the offending value, e.g. `/body/name` or `PORT` */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  /** HTTP status the error maps to at the edge */
  abstract readonly status: number;
  /** stable machine identifier: problem type `/problems/<code>` */
  abstract readonly code: string;
  /** short Chinese title shown to people */
  abstract readonly title: string;
  readonly extensions: ProblemExtensions;

  constructor(detail: string, extensions: ProblemExtensions = {}, options?: ErrorOptions) {
    super(detail, options);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

/** An error whose extensions are the field problems behind it (`errors`: path and message). */
abstract class FieldProblemsError extends DomainError {
  constructor(detail: string, errors: FieldProblem[] = [], options?: ErrorOptions) {
    super(detail, errors.length > 0 ? { errors } : {}, options);
  }
}

/** `input`: the request or value is malformed or breaks a rule the caller can fix. */
export class InputError extends FieldProblemsError {
  readonly status = 400;
  readonly code = 'input';
  readonly title = '请求参数无效';
}

/** `unauthenticated`: no credentials, or credentials that could not be verified. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  readonly title = '未认证或凭证无效';
}

/**
 * `unauthenticated` where only a developer API key will do (the open-data API): its challenge
 * names the key's header rather than a bearer token, so a client is not sent looking for OAuth.
 */
export class ApiKeyRequiredError extends UnauthenticatedError {}

/** `not-allowed`: the caller is known but may not perform this write. */
export class NotAllowedError extends DomainError {
  readonly status = 403;
  readonly code = 'not-allowed';
  readonly title = '无权执行此操作';
}

/**
 * `not-found`: the thing does not exist, or the caller may not know that it exists
 * (a denied read answers 404 so that it does not leak existence).
 */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = '资源不存在';
}

/** `conflict`: the request clashes with the current state (duplicate, wrong lifecycle step). */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = '与当前状态冲突';
}

/**
 * `unprocessable`: the request is well formed, but the values it carries break the rules of the
 * thing they are for (a record that its resource's record schema refuses). Field problems say
 * where, as with `input`.
 */
export class UnprocessableError extends FieldProblemsError {
  readonly status = 422;
  readonly code = 'unprocessable';
  readonly title = '内容不符合要求';
}

/**
 * `resync-required`: the caller asks to resume from a position the service no longer keeps
 * what came after (a subscription's `Last-Event-ID` from before the retention's horizon). It
 * must start over from the current state instead.
 */
export class ResyncRequiredError extends DomainError {
  readonly status = 410;
  readonly code = 'resync-required';
  readonly title = '需要重新同步';
}

/** `payload-too-large`: the body exceeds what the endpoint accepts. */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = '请求体过大';
}

/** `unsupported-media-type`: the body is not in a content type the endpoint accepts. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly code = 'unsupported-media-type';
  readonly title = '不支持的内容类型';
}

/**
 * `quota-exceeded`: a quota or rate limit is spent. `retryAfterSeconds` becomes the
 * `Retry-After` header.
 */
export class QuotaExceededError extends DomainError {
  readonly status = 429;
  readonly code = 'quota-exceeded';
  readonly title = '超出配额或频率限制';
  readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds: number, extensions: ProblemExtensions = {}) {
    super(detail, extensions);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** `unavailable`: a dependency (database, record log, identity provider) cannot be reached now. */
export class UnavailableError extends DomainError {
  readonly status = 503;
  readonly code = 'unavailable';
  readonly title = '服务暂不可用';
  readonly retryAfterSeconds: number | undefined;
  constructor(detail: string, retryAfterSeconds?: number, options?: ErrorOptions) {
    super(detail, {}, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
