import type { AuthorityText } from '../../../lib/i18n/console/authority.ts';
import type { DepartmentFigures } from '../../../lib/console/authority/dashboardFigures.ts';
import { ChartFigure, ChartSvg } from '../../ChartFrame.tsx';
import { CHART_ROWS } from './StatusChart.tsx';

const W = 760;
const ROW = 34;
const M = { left: 150, right: 56, top: 8, bottom: 28 };
const SHAREABLE = '#0a4ea2';
const OPENABLE = '#b45309';

/**
 * The shareable and openable share of each department's published resources as paired bars
 * on a 0–100 % scale, so departments compare on the same footing whatever their size.
 */
export function ShareChart({
  departments,
  a,
}: {
  departments: DepartmentFigures[];
  a: AuthorityText;
}) {
  const id = 'share-chart';
  const rows = departments
    .filter((d) => d.byStatus.published > 0)
    .sort((x, y) => y.byStatus.published - x.byStatus.published)
    .slice(0, CHART_ROWS);
  const note = a.shareChartNote(rows.length);
  const H = M.top + M.bottom + ROW * Math.max(rows.length, 1);
  const x = (v: number) => M.left + v * (W - M.left - M.right);
  const pct = (v: number | null) => `${Math.round((v ?? 0) * 100)}%`;
  return (
    <ChartFigure id={id} title={a.shareChartTitle} note={note}>
      <ChartSvg id={id} title={a.shareChartTitle} desc={note} width={W} height={H}>
        <g className="chart-grid">
          {[0, 0.25, 0.5, 0.75, 1].map((v) => (
            <g key={v}>
              <line x1={x(v)} x2={x(v)} y1={M.top} y2={H - M.bottom} />
              <text x={x(v)} y={H - M.bottom + 16} textAnchor="middle">
                {`${v * 100}%`}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-bar">
          {rows.map((d, i) => {
            const yTop = M.top + ROW * i + 3;
            return (
              <g key={d.code}>
                <text x={M.left - 8} y={yTop + 13} textAnchor="end" dominantBaseline="middle">
                  {d.name.length > 10 ? `${d.name.slice(0, 10)}…` : d.name}
                </text>
                <rect
                  x={M.left}
                  y={yTop}
                  width={x(d.shareableShare ?? 0) - M.left}
                  height={12}
                  fill={SHAREABLE}
                >
                  <title>{`${d.name} ${a.shareableShare}：${pct(d.shareableShare)}`}</title>
                </rect>
                <text x={x(d.shareableShare ?? 0) + 4} y={yTop + 6} dominantBaseline="middle">
                  {pct(d.shareableShare)}
                </text>
                <rect
                  x={M.left}
                  y={yTop + 14}
                  width={x(d.openableShare ?? 0) - M.left}
                  height={12}
                  fill={OPENABLE}
                >
                  <title>{`${d.name} ${a.openableShare}：${pct(d.openableShare)}`}</title>
                </rect>
                <text x={x(d.openableShare ?? 0) + 4} y={yTop + 20} dominantBaseline="middle">
                  {pct(d.openableShare)}
                </text>
              </g>
            );
          })}
        </g>
      </ChartSvg>
      <ul className="chart-legend">
        <li>
          <svg width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill={SHAREABLE} />
          </svg>
          {a.shareableShare}
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill={OPENABLE} />
          </svg>
          {a.openableShare}
        </li>
      </ul>
    </ChartFigure>
  );
}
