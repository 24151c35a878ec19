'use client';

import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import {
  DATA_TYPES,
  emptyItem,
  FORMATS,
  GRADES,
  itemField,
  OPEN_TYPES,
  SHARING_METHODS,
  SHARING_TYPES,
  UPDATE_CYCLES,
  validateEditorState,
  type EditorState,
  type ItemState,
} from '../../../lib/console/steward/editorState.ts';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import { label, SERVICE_CATEGORIES } from '../../../lib/i18n/labels.ts';
import type { Locale } from '../../../lib/i18n/locales.ts';

type Option = { code: string; name: string };

/**
 * 资源编辑器: metadata and information items, checked as the person types against the rules
 * of the catalog's input schema. A plain form underneath (named controls, posted to the
 * console's route handler), so the server stays the source of truth and answers refusals.
 */
export function ResourceEditor({
  locale,
  action,
  code,
  revision,
  initial,
  themes,
  functions,
}: {
  locale: Locale;
  action: string;
  code?: string;
  revision?: number;
  initial: EditorState;
  themes: Option[];
  functions: Option[];
}) {
  const t = stewardText(locale);
  const [state, setState] = useState<EditorState>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const problems = useMemo(() => validateEditorState(state, t), [state, t]);
  const byField = new Map<string, string>();
  for (const p of problems) if (!byField.has(p.field)) byField.set(p.field, p.message);
  const shown = (field: string) =>
    attempted || touched.has(field) ? byField.get(field) : undefined;
  const touch = (field: string) =>
    setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));

  const set = <K extends keyof EditorState>(key: K, value: EditorState[K]) => {
    setState((s) => ({ ...s, [key]: value }));
    touch(key);
  };
  const setItem = <K extends keyof ItemState>(index: number, key: K, value: ItemState[K]) => {
    setState((s) => ({
      ...s,
      items: s.items.map((item, i) => (i === index ? { ...item, [key]: value } : item)),
    }));
    touch(itemField(index, key));
  };
  const move = (index: number, by: -1 | 1) =>
    setState((s) => {
      const items = [...s.items];
      const target = index + by;
      if (target < 0 || target >= items.length) return s;
      [items[index], items[target]] = [items[target]!, items[index]!];
      return { ...s, items };
    });
  const remove = (index: number) =>
    setState((s) => ({ ...s, items: s.items.filter((_, i) => i !== index) }));
  const add = () => setState((s) => ({ ...s, items: [...s.items, emptyItem()] }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (problems.length === 0) return;
    event.preventDefault();
    setAttempted(true);
    const first = document.getElementById(`f-${problems[0]!.field}`);
    first?.focus();
  };

  const message = (field: string): ReactNode => {
    const text = shown(field);
    return text ? (
      <span className="field-error" id={`e-${field}`}>
        {text}
      </span>
    ) : null;
  };
  const describedBy = (field: string, hint?: boolean) =>
    [shown(field) ? `e-${field}` : '', hint ? `h-${field}` : ''].filter(Boolean).join(' ') ||
    undefined;

  const text = (
    key: keyof EditorState & string,
    options: { required?: boolean; multiline?: boolean; hint?: string; type?: string } = {},
  ) => {
    const value = state[key] as string;
    const common = {
      id: `f-${key}`,
      name: key,
      value,
      'aria-invalid': shown(key) ? true : undefined,
      'aria-describedby': describedBy(key, Boolean(options.hint)),
      'aria-required': options.required ? true : undefined,
      onBlur: () => touch(key),
    };
    return (
      <label htmlFor={`f-${key}`}>
        <span>
          {t.field[key]}
          {options.required ? <span aria-hidden="true"> *</span> : null}
        </span>
        {options.multiline ? (
          <textarea rows={3} {...common} onChange={(e) => set(key, e.target.value as never)} />
        ) : (
          <input
            type={options.type ?? 'text'}
            {...common}
            onChange={(e) => set(key, e.target.value as never)}
          />
        )}
        {options.hint ? (
          <span className="hint" id={`h-${key}`}>
            {options.hint}
          </span>
        ) : null}
        {message(key)}
      </label>
    );
  };

  const select = (
    key: keyof EditorState & string,
    options: readonly Option[],
    placeholder?: string,
  ) => (
    <label htmlFor={`f-${key}`}>
      <span>{t.field[key]}</span>
      <select
        id={`f-${key}`}
        name={key}
        value={state[key] as string}
        aria-invalid={shown(key) ? true : undefined}
        aria-describedby={describedBy(key)}
        onChange={(e) => set(key, e.target.value as never)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
      {message(key)}
    </label>
  );
  const coded = (codes: readonly string[], labels: Record<string, string>) =>
    codes.map((code) => ({ code, name: labels[code] ?? code }));
  // the directory's categories, and the entry's own if it has another (imported, say): a save
  // sends the whole entry, so what the steward did not change must be there to send
  const serviceCategories = [
    ...SERVICE_CATEGORIES,
    ...(state.serviceCategory && !SERVICE_CATEGORIES.includes(state.serviceCategory)
      ? [state.serviceCategory]
      : []),
  ].map((code) => ({ code, name: label('serviceCategory', code, locale) }));

  return (
    <form method="post" action={action} className="console-form steward-editor" onSubmit={onSubmit}>
      <input type="hidden" name="op" value="save" />
      {code ? <input type="hidden" name="code" value={code} /> : null}
      {revision ? <input type="hidden" name="revision" value={String(revision)} /> : null}
      <p className="hint">{t.editorLead}</p>

      <fieldset>
        <legend>{t.metaLegend}</legend>
        {text('name', { required: true })}
        {text('abstract', { required: true, multiline: true })}
        <label htmlFor="f-themeCode">
          <span>
            {t.field.themeCode}
            <span aria-hidden="true"> *</span>
          </span>
          <select
            id="f-themeCode"
            name="themeCode"
            value={state.themeCode}
            aria-required
            aria-invalid={shown('themeCode') ? true : undefined}
            aria-describedby={describedBy('themeCode')}
            onChange={(e) => set('themeCode', e.target.value)}
            onBlur={() => touch('themeCode')}
          >
            <option value="">{t.chooseTheme}</option>
            {themes.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
          {message('themeCode')}
        </label>
        <div className="steward-grid">
          {select('serviceCategory', serviceCategories, t.chooseServiceCategory)}
          <div className="steward-fact">
            <span>{t.field.publishDate}</span>
            <span>{state.publishDate || t.notPublishedYet}</span>
            <input type="hidden" name="publishDate" value={state.publishDate} />
            <span className="hint">{t.publishDateHint}</span>
          </div>
        </div>
        <div className="steward-grid">
          {select('format', coded(FORMATS, t.format))}
          {select('updateCycle', coded(UPDATE_CYCLES, t.updateCycle))}
          {select('dataGrade', coded(GRADES, t.grade), '—')}
        </div>
        {text('keywords', { hint: t.keywordsHint })}
        {text('relatedResourceCodes', { hint: t.relatedHint })}
        {functions.length > 0 ? select('functionCode', functions, t.chooseFunction) : null}
      </fieldset>

      <fieldset>
        <legend>{t.sharingLegend}</legend>
        <div className="steward-grid">
          {select('sharingType', coded(SHARING_TYPES, t.sharingType))}
          {select('openType', coded(OPEN_TYPES, t.openType))}
        </div>
        <fieldset className="steward-checks">
          <legend>{t.field.sharingMethods}</legend>
          {SHARING_METHODS.map((m) => (
            <label key={m} className="steward-check">
              <input
                type="checkbox"
                id={m === SHARING_METHODS[0] ? 'f-sharingMethods' : undefined}
                name="sharingMethods"
                value={m}
                checked={state.sharingMethods.includes(m)}
                onChange={(e) =>
                  set(
                    'sharingMethods',
                    e.target.checked
                      ? [...state.sharingMethods, m]
                      : state.sharingMethods.filter((x) => x !== m),
                  )
                }
              />
              {t.sharingMethod[m]}
            </label>
          ))}
          {message('sharingMethods')}
        </fieldset>
        {text('sharingConditions', { multiline: true })}
        {state.sharingType === 'none' || state.sharingLegalBasis
          ? text('sharingLegalBasis', { multiline: true, required: state.sharingType === 'none' })
          : null}
        {text('openConditions', { multiline: true })}
      </fieldset>

      <fieldset>
        <legend>{t.contactLegend}</legend>
        <div className="steward-grid">
          {text('contactName')}
          {text('contactPhone', { type: 'tel' })}
          {text('contactEmail', { type: 'email' })}
        </div>
        {text('sourceSystem')}
      </fieldset>

      <fieldset className="steward-items">
        <legend>{t.itemsLegend}</legend>
        <p className="hint">{t.itemsHint}</p>
        {message('items')}
        <div className="table-scroll" role="region" aria-label={t.itemsLegend} tabIndex={0}>
          <table className="console-table steward-items-table">
            <colgroup>
              <col className="steward-col-index" />
              <col />
              <col />
              <col className="steward-col-type" />
              <col className="steward-col-length" />
              <col className="steward-col-unit" />
              <col className="steward-col-grade" />
              <col className="steward-col-flag" />
              <col className="steward-col-flag" />
              <col className="steward-col-flag" />
              <col />
              <col className="steward-col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t.item.name} *</th>
                <th scope="col">{t.item.label} *</th>
                <th scope="col">{t.item.dataType}</th>
                <th scope="col">{t.item.maxLength}</th>
                <th scope="col">{t.item.unit}</th>
                <th scope="col">{t.item.dataGrade}</th>
                <th scope="col">{t.item.isKey}</th>
                <th scope="col">{t.item.isRequired}</th>
                <th scope="col">{t.item.isPersonal}</th>
                <th scope="col">{t.item.description}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.colAction}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.items.map((item, i) => {
                const row = t.itemRow(i + 1);
                const input = (key: 'name' | 'label' | 'maxLength' | 'unit' | 'description') => {
                  const field = itemField(i, key);
                  return (
                    <td>
                      <input
                        id={`f-${field}`}
                        name={field}
                        value={item[key]}
                        aria-label={`${row} ${t.item[key]}`}
                        aria-invalid={shown(field) ? true : undefined}
                        aria-describedby={describedBy(field)}
                        inputMode={key === 'maxLength' ? 'numeric' : undefined}
                        onChange={(e) => setItem(i, key, e.target.value)}
                        onBlur={() => touch(field)}
                      />
                      {message(field)}
                    </td>
                  );
                };
                const pick = (key: 'dataType' | 'dataGrade', codes: readonly string[]) => (
                  <td>
                    <select
                      name={itemField(i, key)}
                      value={item[key]}
                      aria-label={`${row} ${t.item[key]}`}
                      onChange={(e) => setItem(i, key, e.target.value)}
                    >
                      {codes.map((c) => (
                        <option key={c} value={c}>
                          {(key === 'dataType' ? t.dataType : t.grade)[c] ?? c}
                        </option>
                      ))}
                    </select>
                  </td>
                );
                const flag = (key: 'isKey' | 'isRequired' | 'isPersonal') => (
                  <td className="steward-flag">
                    <input
                      type="checkbox"
                      id={`f-${itemField(i, key)}`}
                      name={itemField(i, key)}
                      checked={item[key]}
                      aria-label={`${row} ${t.item[key]}`}
                      aria-invalid={shown(itemField(i, key)) ? true : undefined}
                      aria-describedby={describedBy(itemField(i, key))}
                      onChange={(e) => setItem(i, key, e.target.checked)}
                    />
                    {message(itemField(i, key))}
                  </td>
                );
                return (
                  <tr key={i}>
                    <th scope="row">{i + 1}</th>
                    {input('name')}
                    {input('label')}
                    {pick('dataType', DATA_TYPES)}
                    {input('maxLength')}
                    {input('unit')}
                    {pick('dataGrade', GRADES)}
                    {flag('isKey')}
                    {flag('isRequired')}
                    {flag('isPersonal')}
                    {input('description')}
                    <td className="steward-row-actions">
                      <div className="steward-row-buttons">
                        <button
                          type="button"
                          className="button small"
                          aria-label={`${row} ${t.moveUp}`}
                          disabled={i === 0}
                          onClick={() => move(i, -1)}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          className="button small"
                          aria-label={`${row} ${t.moveDown}`}
                          disabled={i === state.items.length - 1}
                          onClick={() => move(i, 1)}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          className="button small"
                          aria-label={`${row} ${t.removeItem}`}
                          onClick={() => remove(i)}
                        >
                          {t.removeItem}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p>
          <button type="button" className="button" onClick={add}>
            {t.addItem}
          </button>
        </p>
      </fieldset>

      <div className="steward-save" aria-live="polite">
        <p className={problems.length ? 'steward-problems' : 'steward-ok'}>
          {problems.length ? t.problemsTitle(problems.length) : t.noProblems}
        </p>
        <button type="submit" className="button primary">
          {t.saveDraft}
        </button>
      </div>
    </form>
  );
}
