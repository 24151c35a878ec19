import { niceTicks } from '../../../lib/chart/chooseChart.ts';
import { formatNumber } from '../../../lib/format.ts';
import type { AuthorityText } from '../../../lib/i18n/console/authority.ts';
import type { Locale } from '../../../lib/i18n/locales.ts';
import type { DepartmentFigures } from '../../../lib/console/authority/dashboardFigures.ts';
import { ChartFigure, ChartSvg } from '../../ChartFrame.tsx';

/** Colours with ≥ 3:1 contrast on white (WCAG 1.4.11), one per status. */
const STATUS_COLOURS = {
  published: '#15803d',
  in_review: '#b45309',
  draft: '#0a4ea2',
  retired: '#6b7280',
} as const;
const ORDER = ['published', 'in_review', 'draft', 'retired'] as const;

const W = 760;
/** a chart of every department would be too dense to read; the table below has them all */
export const CHART_ROWS = 12;
const ROW = 26;
const M = { left: 150, right: 48, top: 8, bottom: 28 };

/**
 * Resources by status per department as stacked horizontal bars, largest department first:
 * who catalogues much, and whose entries wait in review or as drafts, shows without reading.
 * The numbers are in the table beside the chart.
 */
export function StatusChart({
  departments,
  a,
  locale,
}: {
  departments: DepartmentFigures[];
  a: AuthorityText;
  locale: Locale;
}) {
  const id = 'status-chart';
  const withResources = departments.filter((d) => d.total > 0);
  const rows = [...withResources].sort((x, y) => y.total - x.total).slice(0, CHART_ROWS);
  const H = M.top + M.bottom + ROW * Math.max(rows.length, 1);
  const ticks = niceTicks(0, Math.max(1, ...rows.map((d) => d.total)), 6);
  const top = ticks[ticks.length - 1]!;
  const x = (v: number) => M.left + (v / top) * (W - M.left - M.right);
  const note = a.statusChartNote(rows.length, withResources.length);
  return (
    <ChartFigure id={id} title={a.statusChartTitle} note={note}>
      <ChartSvg id={id} title={a.statusChartTitle} desc={note} width={W} height={H}>
        <g className="chart-grid">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={x(v)} x2={x(v)} y1={M.top} y2={H - M.bottom} />
              <text x={x(v)} y={H - M.bottom + 16} textAnchor="middle">
                {formatNumber(v, locale)}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-bar">
          {rows.map((d, i) => {
            const yTop = M.top + ROW * i + 4;
            let from = 0;
            return (
              <g key={d.code}>
                <text
                  x={M.left - 8}
                  y={yTop + (ROW - 8) / 2}
                  textAnchor="end"
                  dominantBaseline="middle"
                >
                  {d.name.length > 10 ? `${d.name.slice(0, 10)}…` : d.name}
                </text>
                {ORDER.map((status) => {
                  const n = d.byStatus[status];
                  const start = from;
                  from += n;
                  return n > 0 ? (
                    <rect
                      key={status}
                      x={x(start)}
                      width={x(start + n) - x(start)}
                      y={yTop}
                      height={ROW - 8}
                      fill={STATUS_COLOURS[status]}
                      stroke="#ffffff"
                      strokeWidth={1}
                    >
                      <title>{`${d.name} ${a.status[status]}：${n}`}</title>
                    </rect>
                  ) : null;
                })}
                <text x={x(d.total) + 6} y={yTop + (ROW - 8) / 2} dominantBaseline="middle">
                  {formatNumber(d.total, locale)}
                </text>
              </g>
            );
          })}
        </g>
      </ChartSvg>
      <ul className="chart-legend">
        {ORDER.map((status) => (
          <li key={status}>
            <svg width="14" height="14" aria-hidden="true" focusable="false">
              <rect width="14" height="14" fill={STATUS_COLOURS[status]} />
            </svg>
            {a.status[status]}
          </li>
        ))}
      </ul>
    </ChartFigure>
  );
}
