'use client';

import { useEffect, useMemo, useState } from 'react';
import {
  FILTER_OPS,
  filterNames,
  formProblemText,
  keepDefaults,
  keepFirstName,
  keepLastName,
  maskChoicesFor,
  maskName,
  MAX_FILTER_ROWS,
  termsFromForm,
  type EditorItem,
  type FormLookup,
} from '../../../lib/console/approver/policyForm.ts';
import type { Locale } from '../../../lib/i18n/locales.ts';
import { approverText } from '../../../lib/i18n/console/approver.ts';

interface MaskState {
  choice: string;
  first: string;
  last: string;
}
interface FilterRow {
  field: string;
  op: string;
  value: string;
}
type Preview =
  | { kind: 'idle' | 'loading' }
  | { kind: 'error'; message: string }
  | {
      kind: 'ok';
      source: 'given' | 'hosted' | 'synthetic';
      sample: Record<string, unknown>;
      matches: boolean;
      shaped: Record<string, unknown>;
    };

const show = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

/**
 * 授权策略编辑器: fields, a mask per field, a row-filter builder and its expression, and a
 * preview of the effect on a sample record computed by the exchange (through the portal's
 * preview route, with the approver's own token). Every control is a named form input, and the
 * same `termsFromForm` turns them into the grant's terms here and in the route handler, so the
 * server stays the source of truth and the form also posts without JavaScript.
 */
export function PolicyEditor({
  locale,
  requestId,
  items,
  initial,
}: {
  locale: Locale;
  requestId: string;
  /** the requested information items (an approval can only narrow them) */
  items: EditorItem[];
  /** the choices of a refused approval, to start from instead of the defaults */
  initial?: Record<string, string[]>;
}) {
  const t = approverText(locale).editor;
  const first = (name: string) => initial?.[name]?.[0] ?? '';
  const [fields, setFields] = useState<Set<string>>(
    () => new Set(initial ? (initial.fields ?? []) : items.map((i) => i.name)),
  );
  const [masks, setMasks] = useState<Record<string, MaskState>>(() =>
    Object.fromEntries(
      items
        .filter((i) => first(maskName(i.name)))
        .map((i) => [
          i.name,
          {
            choice: first(maskName(i.name)),
            first: first(keepFirstName(i.name)),
            last: first(keepLastName(i.name)),
          },
        ]),
    ),
  );
  const [rows, setRows] = useState<FilterRow[]>(() => {
    const carried: FilterRow[] = [];
    for (let i = 0; i < MAX_FILTER_ROWS && initial?.[filterNames(i).field]; i++) {
      const names = filterNames(i);
      carried.push({
        field: first(names.field),
        op: first(names.op) || '=',
        value: first(names.value),
      });
    }
    return carried.length ? carried : [{ field: '', op: '=', value: '' }];
  });
  const [join, setJoin] = useState<'and' | 'or'>(() =>
    first('filter_join') === 'or' ? 'or' : 'and',
  );
  const [preview, setPreview] = useState<Preview>({ kind: 'idle' });

  const mask = (name: string): MaskState => masks[name] ?? { choice: '', first: '', last: '' };
  const setMask = (name: string, change: Partial<MaskState>) =>
    setMasks((m) => ({ ...m, [name]: { ...mask(name), ...change } }));
  const setRow = (i: number, change: Partial<FilterRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const { terms, problems } = useMemo(() => {
    const lookup: FormLookup = {
      get(name) {
        if (name === 'filter_join') return join;
        const m = /^mask_([a-z][a-z0-9_]*?)(?:_(first|last))?$/.exec(name);
        const item = m && items.find((i) => i.name === m[1]) ? m : undefined;
        if (item) {
          const state = masks[item[1]!] ?? { choice: '', first: '', last: '' };
          return item[2] === 'first' ? state.first : item[2] === 'last' ? state.last : state.choice;
        }
        const f = /^filter_(field|op|value)_(\d+)$/.exec(name);
        if (f) return rows[Number(f[2])]?.[f[1] as keyof FilterRow] ?? '';
        return '';
      },
      getAll: (name) => (name === 'fields' ? [...fields] : []),
    };
    return termsFromForm(lookup, items);
  }, [fields, masks, rows, join, items]);

  const draft = JSON.stringify({
    fields: terms.fields,
    masks: terms.masks,
    rowFilter: terms.rowFilter,
  });
  const blocked = problems.length > 0;

  useEffect(() => {
    if (blocked) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      // keep the last preview on screen while the next is computed, so nothing jumps
      setPreview((p) => (p.kind === 'ok' ? p : { kind: 'loading' }));
      try {
        const res = await fetch('/console/sharing-requests/preview', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ requestId, policy: JSON.parse(draft) }),
          signal: controller.signal,
        });
        const body = (await res.json()) as
          | { ok: true; preview: Omit<Extract<Preview, { kind: 'ok' }>, 'kind'> }
          | { ok: false; message: string };
        setPreview(
          body.ok ? { kind: 'ok', ...body.preview } : { kind: 'error', message: body.message },
        );
      } catch (error) {
        if (!controller.signal.aborted) setPreview({ kind: 'error', message: String(error) });
      }
    }, 250);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [draft, blocked, requestId]);

  const label = (name: string) => items.find((i) => i.name === name)?.label ?? name;

  return (
    <div className="approver-editor">
      <fieldset>
        <legend>{t.fieldsLegend}</legend>
        <p className="hint">{t.fieldsHint}</p>
        <table className="console-table approver-field-table">
          <thead>
            <tr>
              <th scope="col">{t.fieldColumn}</th>
              <th scope="col">{t.maskColumn}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const m = mask(item.name);
              const on = fields.has(item.name);
              return (
                <tr key={item.name}>
                  <th scope="row">
                    <label>
                      <input
                        type="checkbox"
                        name="fields"
                        value={item.name}
                        checked={on}
                        onChange={(e) =>
                          setFields((s) => {
                            const next = new Set(s);
                            if (e.target.checked) next.add(item.name);
                            else next.delete(item.name);
                            return next;
                          })
                        }
                      />{' '}
                      {item.label} <code>{item.name}</code>
                      {item.isPersonal ? (
                        <span className="badge badge-plain">{t.personal}</span>
                      ) : null}
                    </label>
                  </th>
                  <td>
                    <select
                      name={maskName(item.name)}
                      aria-label={t.maskLabel(item.label)}
                      value={m.choice}
                      disabled={!on}
                      onChange={(e) => setMask(item.name, { choice: e.target.value })}
                    >
                      {maskChoicesFor(item.dataType, m.choice).map((c) => (
                        <option key={c} value={c}>
                          {t.masks[c]}
                        </option>
                      ))}
                    </select>
                    {m.choice === 'keep_first_last' && on ? (
                      <span className="approver-keep">
                        <label>
                          {t.keepFirst}{' '}
                          <input
                            type="number"
                            min={0}
                            max={20}
                            name={keepFirstName(item.name)}
                            value={m.first}
                            placeholder={String(keepDefaults(item).first)}
                            onChange={(e) => setMask(item.name, { first: e.target.value })}
                          />
                        </label>
                        <label>
                          {t.keepLast}{' '}
                          <input
                            type="number"
                            min={0}
                            max={20}
                            name={keepLastName(item.name)}
                            value={m.last}
                            placeholder={String(keepDefaults(item).last)}
                            onChange={(e) => setMask(item.name, { last: e.target.value })}
                          />
                        </label>
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>

      <fieldset>
        <legend>{t.filterLegend}</legend>
        <p className="hint">{t.filterHint}</p>
        <label className="approver-stack">
          {t.join}
          <select
            name="filter_join"
            value={join}
            onChange={(e) => setJoin(e.target.value === 'or' ? 'or' : 'and')}
          >
            <option value="and">{t.joinAnd}</option>
            <option value="or">{t.joinOr}</option>
          </select>
        </label>
        {rows.map((row, i) => {
          const names = filterNames(i);
          return (
            <div className="approver-filter-row" key={i}>
              <label>
                {t.filterField(i + 1)}
                <select
                  name={names.field}
                  value={row.field}
                  onChange={(e) => setRow(i, { field: e.target.value })}
                >
                  <option value="">{t.anyField}</option>
                  {items.map((item) => (
                    <option key={item.name} value={item.name}>
                      {item.label}（{item.name}）
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t.filterOp(i + 1)}
                <select
                  name={names.op}
                  value={row.op}
                  onChange={(e) => setRow(i, { op: e.target.value })}
                >
                  {FILTER_OPS.map((op) => (
                    <option key={op} value={op}>
                      {t.ops[op]}
                    </option>
                  ))}
                </select>
              </label>
              {row.op === 'is_null' ? null : (
                <label>
                  {t.filterValue(i + 1)}
                  <input
                    type="text"
                    name={names.value}
                    value={row.value}
                    maxLength={500}
                    onChange={(e) => setRow(i, { value: e.target.value })}
                  />
                </label>
              )}
              {rows.length > 1 ? (
                <button
                  type="button"
                  className="button small"
                  onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                >
                  {t.removeRow(i + 1)}
                </button>
              ) : null}
            </div>
          );
        })}
        {rows.length < MAX_FILTER_ROWS ? (
          <button
            type="button"
            className="button small"
            onClick={() => setRows((rs) => [...rs, { field: '', op: '=', value: '' }])}
          >
            {t.addRow}
          </button>
        ) : null}
        <div className="approver-expression">
          <p className="hint" id="filter-expression-label">
            {t.expression}
          </p>
          <pre
            className="approver-json"
            aria-labelledby="filter-expression-label"
            data-testid="filter-expression"
            tabIndex={0}
          >
            {terms.rowFilter ? JSON.stringify(terms.rowFilter, null, 2) : t.noFilter}
          </pre>
        </div>
      </fieldset>

      <section className="approver-preview" aria-labelledby="preview-title" aria-live="polite">
        <h3 id="preview-title">{t.previewTitle}</h3>
        {blocked ? (
          <ul className="approver-problems" role="alert">
            {problems.map((p, i) => (
              <li key={i}>{formProblemText(p, t.problems)}</li>
            ))}
          </ul>
        ) : preview.kind === 'ok' ? (
          <>
            <p className="hint">
              {preview.source === 'hosted'
                ? t.previewHosted
                : preview.source === 'synthetic'
                  ? t.previewSynthetic
                  : t.previewGiven}
            </p>
            <p className={preview.matches ? 'hint' : 'notice'} data-testid="preview-filter">
              {terms.rowFilter ? (preview.matches ? t.previewPassed : t.previewFiltered) : null}
            </p>
            <table className="console-table" data-testid="policy-preview">
              <thead>
                <tr>
                  <th scope="col">{t.previewField}</th>
                  <th scope="col">{t.previewOriginal}</th>
                  <th scope="col">{t.previewDelivered}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const delivered = Object.hasOwn(preview.shaped, item.name);
                  const before = show(preview.sample[item.name]);
                  const after = delivered ? show(preview.shaped[item.name]) : undefined;
                  return (
                    <tr key={item.name} data-field={item.name}>
                      <th scope="row">{label(item.name)}</th>
                      <td>{before}</td>
                      <td
                        className={
                          after === undefined
                            ? 'approver-removed'
                            : after !== before
                              ? 'approver-changed'
                              : undefined
                        }
                      >
                        {after ?? t.previewRemoved}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        ) : preview.kind === 'error' ? (
          <p className="notice notice-error" role="alert">
            {t.previewFailed}
            {preview.message}
          </p>
        ) : (
          <p className="hint">{t.previewLoading}</p>
        )}
        <noscript>
          <p className="hint">{t.previewNoScript}</p>
        </noscript>
      </section>
    </div>
  );
}
