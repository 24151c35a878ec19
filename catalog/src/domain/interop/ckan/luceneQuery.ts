import { CkanSearchError, CkanSearchQueryError } from './ckanErrors.ts';

/**
 * The part of Solr's standard (Lucene) query syntax that CKAN clients and harvesters send in
 * `q` and `fq`: `field:value`, `field:"a phrase"`, `field:(a OR b)`, `field:[from TO to]`
 * (`{}` exclusive), a trailing `*` wildcard, `*:*`, AND / OR / NOT, `&&` / `||`, `+` / `-` / `!`
 * prefixes, parentheses and bare words. Clauses without an operator combine with AND, as CKAN's
 * Solr schema sets. What Solr itself would refuse (an unclosed bracket, a missing value) is a
 * Search Error as CKAN reports it; what Solr accepts but this catalogue does not (fuzzy `~`,
 * boosts `^`, inner wildcards, local parameters) is a Search Query Error.
 */

export type FieldValue =
  | { kind: 'term'; text: string; quoted: boolean; prefix: boolean }
  | { kind: 'any' }
  | { kind: 'range'; from: string; to: string; fromInclusive: boolean; toInclusive: boolean };

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'field'; field: string; value: FieldValue }
  | { kind: 'text'; text: string };

/** Longest query accepted (characters) and most tokens and nesting: beyond, it is abuse. */
export const MAX_QUERY_CHARS = 2000;
const MAX_TOKENS = 200;
const MAX_DEPTH = 16;

type Token =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'and' }
  | { t: 'or' }
  | { t: 'not' }
  | { t: 'plus' }
  | { t: 'field'; name: string }
  | { t: 'value'; value: FieldValue };

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** Where the first colon that is not escaped is, or -1. */
function unescapedColon(word: string): number {
  for (let i = 0; i < word.length; i += 1) {
    if (word[i] === '\\') i += 1;
    else if (word[i] === ':') return i;
  }
  return -1;
}

/** A word's characters with backslash escapes resolved; which characters were escaped. */
function unescape(raw: string): { text: string; escaped: boolean[] } {
  let text = '';
  const escaped: boolean[] = [];
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] === '\\' && i + 1 < raw.length) {
      i += 1;
      text += raw[i];
      escaped.push(true);
    } else {
      text += raw[i];
      escaped.push(false);
    }
  }
  return { text, escaped };
}

/** A bare word as a value: `*` (any), `abc*` (prefix), or a term. */
function wordValue(raw: string): FieldValue {
  const { text, escaped } = unescape(raw);
  if (text === '*' && !escaped[0]) return { kind: 'any' };
  const last = text.length - 1;
  const prefix = text.endsWith('*') && !escaped[last];
  const body = prefix ? text.slice(0, -1) : text;
  for (let i = 0; i < body.length; i += 1) {
    if (escaped[i]) continue;
    if (body[i] === '*' || body[i] === '?') {
      throw new CkanSearchQueryError(`只支持词尾的通配符 *（${raw}）`);
    }
    if (body[i] === '~' || body[i] === '^') {
      throw new CkanSearchQueryError(`不支持模糊匹配 ~ 与权重 ^（${raw}）`);
    }
  }
  if (!body) throw new CkanSearchError(`无效的检索词: ${raw}`);
  return { kind: 'term', text: body, quoted: false, prefix };
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (token: Token) => {
    tokens.push(token);
    if (tokens.length > MAX_TOKENS) {
      throw new CkanSearchQueryError(`检索语句过于复杂（最多 ${MAX_TOKENS} 个成分）`);
    }
  };
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      i += 1;
    } else if (c === '(') {
      push({ t: 'lp' });
      i += 1;
    } else if (c === ')') {
      push({ t: 'rp' });
      i += 1;
    } else if (
      (c === '+' || c === '-' || c === '!') &&
      i + 1 < input.length &&
      !isSpace(input[i + 1])
    ) {
      push(c === '+' ? { t: 'plus' } : { t: 'not' });
      i += 1;
    } else if (c === '"') {
      let j = i + 1;
      let phrase = '';
      while (j < input.length && input[j] !== '"') {
        if (input[j] === '\\' && j + 1 < input.length) j += 1;
        phrase += input[j];
        j += 1;
      }
      if (j >= input.length) throw new CkanSearchError('引号未闭合');
      push({ t: 'value', value: { kind: 'term', text: phrase, quoted: true, prefix: false } });
      i = j + 1;
    } else if (c === '[' || c === '{') {
      let j = i + 1;
      while (j < input.length && input[j] !== ']' && input[j] !== '}') j += 1;
      if (j >= input.length) throw new CkanSearchError('区间括号未闭合');
      const parts = input
        .slice(i + 1, j)
        .trim()
        .split(/\s+TO\s+/);
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw new CkanSearchError(`区间应写作 [起 TO 止]: ${input.slice(i, j + 1)}`);
      }
      push({
        t: 'value',
        value: {
          kind: 'range',
          from: parts[0],
          to: parts[1],
          fromInclusive: c === '[',
          toInclusive: input[j] === ']',
        },
      });
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length) {
        const ch = input[j]!;
        if (isSpace(ch) || ch === '(' || ch === ')' || ch === '"') break;
        if (ch === '\\' && j + 1 < input.length) {
          j += 2;
          continue;
        }
        j += 1;
        // a range may follow `field:` directly
        if (ch === ':' && (input[j] === '[' || input[j] === '{')) break;
      }
      const word = input.slice(i, j);
      i = j;
      const colon = unescapedColon(word);
      if (colon === 0) throw new CkanSearchError(`字段名为空: ${word}`);
      if (colon > 0) {
        push({ t: 'field', name: unescape(word.slice(0, colon)).text });
        const rest = word.slice(colon + 1);
        if (rest) push({ t: 'value', value: wordValue(rest) });
      } else if (word === 'AND' || word === '&&') push({ t: 'and' });
      else if (word === 'OR' || word === '||') push({ t: 'or' });
      else if (word === 'NOT') push({ t: 'not' });
      else push({ t: 'value', value: wordValue(word) });
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.at];
    this.at += 1;
    return token;
  }

  parse(): QueryNode {
    if (this.tokens.length === 0) return { kind: 'all' };
    const node = this.or(undefined, 0);
    if (this.at < this.tokens.length) throw new CkanSearchError('多余的右括号');
    return node;
  }

  private or(field: string | undefined, depth: number): QueryNode {
    if (depth > MAX_DEPTH) throw new CkanSearchQueryError(`括号嵌套过深（最多 ${MAX_DEPTH} 层）`);
    const items = [this.and(field, depth)];
    while (this.peek()?.t === 'or') {
      this.next();
      items.push(this.and(field, depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(field: string | undefined, depth: number): QueryNode {
    const items = [this.clause(field, depth)];
    for (;;) {
      const token = this.peek();
      if (!token || token.t === 'rp' || token.t === 'or') break;
      if (token.t === 'and') this.next();
      items.push(this.clause(field, depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private clause(field: string | undefined, depth: number): QueryNode {
    const token = this.next();
    if (!token) throw new CkanSearchError('检索语句不完整');
    switch (token.t) {
      case 'not':
        return { kind: 'not', item: this.clause(field, depth) };
      case 'plus':
        return this.clause(field, depth);
      case 'lp': {
        const node = this.or(field, depth + 1);
        if (this.next()?.t !== 'rp') throw new CkanSearchError('括号未闭合');
        return node;
      }
      case 'field': {
        if (field !== undefined) throw new CkanSearchError(`字段 ${field} 的取值中不能再写字段`);
        const value = this.peek();
        if (value?.t === 'lp') {
          this.next();
          const node = this.or(token.name, depth + 1);
          if (this.next()?.t !== 'rp') throw new CkanSearchError('括号未闭合');
          return node;
        }
        if (value?.t !== 'value') throw new CkanSearchError(`字段 ${token.name} 后缺少取值`);
        this.next();
        return { kind: 'field', field: token.name, value: value.value };
      }
      case 'value':
        if (field !== undefined) return { kind: 'field', field, value: token.value };
        if (token.value.kind === 'any') return { kind: 'all' };
        if (token.value.kind === 'range') throw new CkanSearchError('区间前缺少字段名');
        return { kind: 'text', text: token.value.text };
      default:
        throw new CkanSearchError(`检索语句在此处不完整: ${token.t.toUpperCase()}`);
    }
  }
}

/** Parse one `q` or `fq` string of Lucene syntax. */
export function parseLuceneQuery(input: string): QueryNode {
  if (input.length > MAX_QUERY_CHARS) {
    throw new CkanSearchQueryError(`检索语句不能超过 ${MAX_QUERY_CHARS} 个字符`);
  }
  return new Parser(tokenize(input)).parse();
}
