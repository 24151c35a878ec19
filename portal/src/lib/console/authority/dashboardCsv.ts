import type { AuthorityText } from '../../i18n/console/authority.ts';
import type { DashboardFigures } from './dashboardFigures.ts';

/**
 * A cell as Excel reads it: quoted when it holds a separator, a quote or a line break, and a
 * leading =, +, - or @ of text neutralised so that a department or connector name can never
 * become a formula in the reader's spreadsheet.
 */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * 数据看板 as CSV: one row per figure (category, figure, department code, department, value),
 * UTF-8 with a byte-order mark so that Excel shows the Chinese headers, CRLF line ends.
 */
export function dashboardCsv(figures: DashboardFigures, a: AuthorityText): string {
  const m = a.csvMetrics;
  const c = a.csvCategories;
  const scopeCode = figures.scope?.code ?? '';
  const scopeName = figures.scope?.name ?? a.scopeCity;
  const rows: (string | number | null)[][] = [a.csvHeader];
  const resourceRows = (code: string, name: string, d: DashboardFigures['totals']) => {
    rows.push(
      [c.resources, m.total, code, name, d.total],
      [c.resources, m.draft, code, name, d.byStatus.draft],
      [c.resources, m.in_review, code, name, d.byStatus.in_review],
      [c.resources, m.published, code, name, d.byStatus.published],
      [c.resources, m.retired, code, name, d.byStatus.retired],
      [c.resources, m.shareable, code, name, d.shareable],
      [c.resources, m.openable, code, name, d.openable],
      [c.resources, m.shareableShare, code, name, d.shareableShare],
      [c.resources, m.openableShare, code, name, d.openableShare],
      [c.resources, m.overdue, code, name, d.overdue],
    );
  };
  resourceRows(scopeCode, scopeName, figures.totals);
  if (!figures.scope) for (const d of figures.departments) resourceRows(d.code, d.name, d);
  rows.push(
    [
      c.gaps,
      m.functionsWithoutResource,
      scopeCode,
      scopeName,
      figures.gaps.functionsWithoutResource.length,
    ],
    [
      c.gaps,
      m.resourcesWithoutFunction,
      scopeCode,
      scopeName,
      figures.gaps.resourcesWithoutFunction.length,
    ],
  );
  const r = figures.exchange.requests;
  rows.push(
    [c.requests, m.decided, scopeCode, scopeName, r.decided],
    [c.requests, m.medianSeconds, scopeCode, scopeName, r.medianSeconds],
    [c.requests, m.p90Seconds, scopeCode, scopeName, r.p90Seconds],
    [c.requests, m.pending, scopeCode, scopeName, r.pending],
    [c.requests, m.overdueRequests, scopeCode, scopeName, r.overdue],
  );
  for (const day of figures.exchange.volume)
    rows.push([c.volume, m.day(day.day), scopeCode, scopeName, day.records]);
  for (const d of figures.deadLetters ?? [])
    rows.push([c.deadLetters, m.deadLetters(d.connector), d.department, d.department, d.count]);
  if (figures.evidence.visible) {
    const v = figures.evidence.result.latest;
    rows.push(
      [c.evidence, m.evidenceOk, '', a.scopeCity, v.ok ? a.yes : a.no],
      [c.evidence, m.evidenceHead, '', a.scopeCity, v.head.seq],
      [c.evidence, m.evidenceCheckedAt, '', a.scopeCity, v.checkedAt],
    );
  }
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
