import { niceTicks } from '../../lib/chart/chooseChart.ts';
import { formatNumber } from '../../lib/format.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { Messages } from '../../lib/i18n/messages.ts';
import type { UsageDay } from '../../lib/api/apiKeys.ts';
import { ChartFigure, ChartSvg } from '../ChartFrame.tsx';

const W = 560;
const H = 170;

/**
 * A key's calls per day as server-drawn SVG bars (one per day, oldest first), with the same
 * numbers in a table for screen readers and for anyone who prefers figures.
 */
export function UsageChart({
  days,
  keyName,
  id,
  t,
  locale,
}: {
  days: UsageDay[];
  keyName: string;
  id: string;
  t: Messages;
  locale: Locale;
}) {
  const m = { left: 44, right: 10, top: 10, bottom: 30 };
  const total = days.reduce((sum, d) => sum + d.count, 0);
  // at least 0–4, so a quiet key gets whole-number ticks
  const ticks = niceTicks(0, Math.max(4, ...days.map((d) => d.count)), 4);
  const top = ticks[ticks.length - 1] || 1;
  const slot = (W - m.left - m.right) / Math.max(days.length, 1);
  const y = (v: number) => H - m.bottom - (v / top) * (H - m.top - m.bottom);
  const title = t.developer.usageTitle(keyName);
  const desc = t.developer.usageDesc(total);
  return (
    <ChartFigure
      id={id}
      title={title}
      note={desc}
      className="chart usage-chart"
      noteProps={{ 'data-usage-total': total }}
    >
      <ChartSvg id={id} title={title} desc={desc} width={W} height={H}>
        <g className="chart-grid">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
              <text x={m.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {formatNumber(v, locale)}
              </text>
            </g>
          ))}
        </g>
        {days.map((d, i) => {
          const x = m.left + i * slot + slot * 0.15;
          const height = Math.max(y(0) - y(d.count), d.count > 0 ? 1 : 0);
          return (
            <g key={d.day} className="chart-bar">
              <rect x={x} y={y(0) - height} width={slot * 0.7} height={height} fill="#0a4ea2" />
              {i % 2 === days.length % 2 || days.length <= 7 ? (
                <text x={x + slot * 0.35} y={H - m.bottom + 16} textAnchor="middle">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </ChartSvg>
      <details className="chart-table">
        <summary>{t.developer.usageTable}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.developer.usageDay}</th>
                <th scope="col">{t.developer.usageCount}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td className="num">{formatNumber(d.count, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </ChartFigure>
  );
}
