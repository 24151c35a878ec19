import { niceTicks } from '../../../lib/chart/chooseChart.ts';
import { formatNumber } from '../../../lib/format.ts';
import type { AuthorityText } from '../../../lib/i18n/console/authority.ts';
import type { Locale } from '../../../lib/i18n/locales.ts';
import { ChartFigure, ChartSvg } from '../../ChartFrame.tsx';

const W = 760;
const H = 260;
const M = { left: 64, right: 16, top: 16, bottom: 40 };

/**
 * Records exchanged per day as bars: a month of days reads at a glance as a bar per day (a
 * quiet weekend, a bulk export), and the exact numbers stay in the table below the chart.
 */
export function VolumeChart({
  days,
  a,
  locale,
}: {
  days: { day: string; records: number; deliveries: number }[];
  a: AuthorityText;
  locale: Locale;
}) {
  const id = 'volume-chart';
  const total = days.reduce((s, d) => s + d.records, 0);
  const ticks = niceTicks(0, Math.max(1, ...days.map((d) => d.records)), 5);
  const top = ticks[ticks.length - 1]!;
  const slot = (W - M.left - M.right) / Math.max(days.length, 1);
  const y = (v: number) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  const note = a.volumeChartNote(total, days.length);
  return (
    <ChartFigure id={id} title={a.volumeChartTitle} note={note}>
      <ChartSvg id={id} title={a.volumeChartTitle} desc={note} width={W} height={H}>
        <g className="chart-grid">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
              <text x={M.left - 8} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {formatNumber(v, locale)}
              </text>
            </g>
          ))}
          <line
            className="chart-axis"
            x1={M.left}
            x2={W - M.right}
            y1={H - M.bottom}
            y2={H - M.bottom}
          />
          {days.map((d, i) =>
            i % 5 === 0 || i === days.length - 1 ? (
              <text
                key={d.day}
                x={M.left + slot * (i + 0.5)}
                y={H - M.bottom + 18}
                textAnchor="middle"
              >
                {d.day.slice(5)}
              </text>
            ) : null,
          )}
        </g>
        <g className="chart-bar">
          {days.map((d, i) => (
            <rect
              key={d.day}
              x={M.left + slot * i + slot * 0.15}
              width={slot * 0.7}
              y={y(d.records)}
              height={H - M.bottom - y(d.records)}
              fill="#0a4ea2"
            >
              <title>{`${d.day}：${formatNumber(d.records, locale)}`}</title>
            </rect>
          ))}
        </g>
      </ChartSvg>
      <details className="chart-table">
        <summary>{a.volumeTable}</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{a.day}</th>
                <th scope="col">{a.records}</th>
                <th scope="col">{a.deliveries}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day} data-day={d.day}>
                  <th scope="row">{d.day}</th>
                  <td>{formatNumber(d.records, locale)}</td>
                  <td>{formatNumber(d.deliveries, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </ChartFigure>
  );
}
