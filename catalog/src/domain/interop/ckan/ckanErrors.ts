/**
 * The errors of CKAN's Action API, each answered with the status and `error.__type` CKAN uses
 * (ckan/views/api.py), so that CKAN clients recognise them. Messages are in Chinese, as a CKAN
 * site with `ckan.locale_default = zh_Hans_CN` words them; `__type` is never translated (clients
 * match on it).
 */

export const MESSAGES = {
  notFound: '未找到',
  accessDenied: '拒绝访问',
  badRequest: '请求错误',
  missingValue: '缺失值',
  invalidInteger: '无效的整数',
  notNaturalNumber: '必须是自然数',
  notJson: '无法解析为有效的 JSON',
  notList: '不是列表',
  notString: '不是字符串',
  invalidCharacters: '含有无效字符',
} as const;

/** Base of the errors that carry CKAN's envelope (`{help, success: false, error}`). */
export abstract class CkanActionError extends Error {
  abstract readonly status: number;
  /** the `error` member of the envelope */
  abstract body(): Record<string, unknown>;
}

/**
 * 409 `Validation Error`: each offending parameter with its list of messages, or CKAN's
 * `{message: "…"}` when the action raised it with a sentence (a bad `sort`).
 */
export class CkanValidationError extends CkanActionError {
  readonly status = 409;
  readonly fields: Record<string, string[] | string>;
  constructor(fields: Record<string, string[] | string>) {
    super(
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : v}`)
        .join('; '),
    );
    this.name = 'CkanValidationError';
    this.fields = fields;
  }
  body(): Record<string, unknown> {
    return { ...this.fields, __type: 'Validation Error' };
  }
}

/** 404 `Not Found Error`: CKAN's "Not found", with the reason when there is one. */
export class CkanNotFoundError extends CkanActionError {
  readonly status = 404;
  constructor(readonly reason?: string) {
    super(reason ?? MESSAGES.notFound);
    this.name = 'CkanNotFoundError';
  }
  body(): Record<string, unknown> {
    return {
      __type: 'Not Found Error',
      message: this.reason ? `${MESSAGES.notFound}: ${this.reason}` : MESSAGES.notFound,
    };
  }
}

/** 403 `Authorization Error`: CKAN's "Access denied", with the reason. */
export class CkanAuthorizationError extends CkanActionError {
  readonly status = 403;
  constructor(readonly reason?: string) {
    super(reason ?? MESSAGES.accessDenied);
    this.name = 'CkanAuthorizationError';
  }
  body(): Record<string, unknown> {
    return {
      __type: 'Authorization Error',
      message: this.reason ? `${MESSAGES.accessDenied}: ${this.reason}` : MESSAGES.accessDenied,
    };
  }
}

/**
 * 400 `Search Query Error`: a search CKAN itself refuses before asking Solr (unknown
 * parameters, local parameters, a sort without direction) or one that uses what this catalogue
 * does not support (a field or syntax outside docs/interop.md).
 */
export class CkanSearchQueryError extends CkanActionError {
  readonly status = 400;
  constructor(detail: string) {
    super(detail);
    this.name = 'CkanSearchQueryError';
  }
  body(): Record<string, unknown> {
    return { __type: 'Search Query Error', message: `检索语句无效: ${this.message}` };
  }
}

/**
 * 409 `Search Error`: what CKAN answers when Solr rejects the query it was given (unbalanced
 * brackets or quotes, an invalid date, an unknown sort field).
 */
export class CkanSearchError extends CkanActionError {
  readonly status = 409;
  constructor(detail: string) {
    super(detail);
    this.name = 'CkanSearchError';
  }
  body(): Record<string, unknown> {
    return { __type: 'Search Error', message: `检索出错: ${this.message}` };
  }
}

/**
 * 400 with a bare JSON string and no envelope: CKAN's `_finish_bad_request` for an unknown
 * action or request data that is not a JSON object.
 */
export class CkanBadRequest extends Error {
  readonly status = 400;
  constructor(detail: string) {
    super(`${MESSAGES.badRequest} - ${detail}`);
    this.name = 'CkanBadRequest';
  }
}
