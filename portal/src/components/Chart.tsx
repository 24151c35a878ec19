import {
  niceTicks,
  timeTicks,
  type ChartSpec,
  type CategoryBarsChart,
  type TimeSeriesChart,
} from '../lib/chart/chooseChart.ts';
import {
  formatAxisTime,
  formatDateTime,
  formatNumber,
  formatShortDateTime,
} from '../lib/format.ts';
import type { Locale } from '../lib/i18n/locales.ts';
import { ChartFigure, ChartSvg } from './ChartFrame.tsx';
import type { Messages } from '../lib/i18n/messages.ts';

/** Colours with ≥ 3:1 contrast on white (WCAG 1.4.11), each line also with its own dash. */
const PALETTE = ['#0a4ea2', '#b45309', '#15803d', '#7e22ce', '#0e7490', '#b91c1c'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '12 4', '4 4'];

const W = 760;

function unitOf(column: { unit?: string | null }) {
  return column.unit ? `（${column.unit}）` : '';
}

function TimeSeries({
  chart,
  t,
  locale,
  id,
}: {
  chart: TimeSeriesChart;
  t: Messages;
  locale: Locale;
  id: string;
}) {
  const H = 300;
  const m = { left: 56, right: 40, top: 16, bottom: 44 };
  const all = chart.series.flatMap((s) => s.points);
  const tMin = Math.min(...all.map((p) => p.t));
  const tMax = Math.max(...all.map((p) => p.t));
  const vMin = Math.min(...all.map((p) => p.value));
  const vMax = Math.max(...all.map((p) => p.value));
  const yTicks = niceTicks(Math.min(0, vMin), vMax, 6);
  const y0 = yTicks[0]!;
  const y1 = yTicks[yTicks.length - 1]!;
  const x = (v: number) => m.left + ((v - tMin) / (tMax - tMin || 1)) * (W - m.left - m.right);
  const y = (v: number) => H - m.bottom - ((v - y0) / (y1 - y0 || 1)) * (H - m.top - m.bottom);
  const { ticks: xTicks, step: xStep } = timeTicks(tMin, tMax);
  const only = chart.seriesBy && chart.series.length === 1 ? chart.series[0]!.name : undefined;
  const title =
    t.dataset.chartTimeSeries(chart.measure.label + unitOf(chart.measure), chart.time.label) +
    (only ? `（${chart.seriesBy!.label}：${only}）` : '');
  const desc = [
    t.dataset.chartSample(chart.sampleSize),
    t.dataset.chartRange(formatNumber(vMin, locale), formatNumber(vMax, locale)),
    chart.series.length > 1 ? t.dataset.chartSeriesCount(chart.series.length) : '',
  ].join(' ');
  const dots = all.length <= 80;
  return (
    <ChartFigure id={id} title={title} note={desc}>
      <ChartSvg id={id} title={title} desc={desc} width={W} height={H}>
        <g className="chart-grid">
          {yTicks.map((v) => (
            <g key={v}>
              <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
              <text x={m.left - 8} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {formatNumber(v, locale)}
              </text>
            </g>
          ))}
          {xTicks.map((v) => (
            <g key={v}>
              <line
                className="chart-axis"
                x1={x(v)}
                x2={x(v)}
                y1={H - m.bottom}
                y2={H - m.bottom + 5}
              />
              <text x={x(v)} y={H - m.bottom + 20} textAnchor="middle">
                {formatAxisTime(new Date(v), xStep)}
              </text>
            </g>
          ))}
          <line
            className="chart-axis"
            x1={m.left}
            x2={W - m.right}
            y1={H - m.bottom}
            y2={H - m.bottom}
          />
        </g>
        {chart.series.map((s, i) => (
          <g key={s.name} className="chart-series">
            <polyline
              points={s.points
                .map((p) => `${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`)
                .join(' ')}
              fill="none"
              stroke={PALETTE[i % PALETTE.length]}
              strokeWidth={2}
              strokeDasharray={DASHES[i % DASHES.length] || undefined}
              strokeLinejoin="round"
            />
            {dots
              ? s.points.map((p) => (
                  <circle
                    key={p.t}
                    cx={x(p.t)}
                    cy={y(p.value)}
                    r={2.5}
                    fill={PALETTE[i % PALETTE.length]}
                  />
                ))
              : null}
          </g>
        ))}
      </ChartSvg>
      {chart.series.length > 1 ? (
        <ul className="chart-legend" aria-label={chart.seriesBy?.label}>
          {chart.series.map((s, i) => (
            <li key={s.name}>
              <svg width="28" height="10" aria-hidden="true" focusable="false">
                <line
                  x1="0"
                  x2="28"
                  y1="5"
                  y2="5"
                  stroke={PALETTE[i % PALETTE.length]}
                  strokeWidth="3"
                  strokeDasharray={DASHES[i % DASHES.length] || undefined}
                />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="chart-table">
        <summary>{t.dataset.chartTable}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {chart.seriesBy ? <th scope="col">{chart.seriesBy.label}</th> : null}
                <th scope="col">{chart.time.label}</th>
                <th scope="col">
                  {chart.measure.label}
                  {unitOf(chart.measure)}
                </th>
              </tr>
            </thead>
            <tbody>
              {chart.series.flatMap((s) =>
                s.points.map((p) => (
                  <tr key={`${s.name}-${p.t}`}>
                    {chart.seriesBy ? <td>{s.name}</td> : null}
                    <td>
                      {chart.dateOnly
                        ? formatShortDateTime(new Date(p.t), false)
                        : formatDateTime(new Date(p.t))}
                    </td>
                    <td className="num">{formatNumber(p.value, locale)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </ChartFigure>
  );
}

function Bars({
  chart,
  t,
  locale,
  id,
}: {
  chart: CategoryBarsChart;
  t: Messages;
  locale: Locale;
  id: string;
}) {
  const row = 30;
  const m = { left: 180, right: 70, top: 8, bottom: 28 };
  const H = m.top + m.bottom + chart.bars.length * row;
  const max = Math.max(...chart.bars.map((b) => b.value));
  const ticks = niceTicks(0, max, 5);
  const top = ticks[ticks.length - 1]!;
  const x = (v: number) => m.left + (v / (top || 1)) * (W - m.left - m.right);
  const title = chart.measure
    ? t.dataset.chartBars(chart.measure.label + unitOf(chart.measure), chart.category.label)
    : t.dataset.chartCounts(chart.category.label);
  const desc = t.dataset.chartSample(chart.sampleSize);
  const valueLabel = chart.measure ? t.dataset.chartAverage : t.dataset.chartCount;
  return (
    <ChartFigure id={id} title={title} note={desc}>
      <ChartSvg
        id={id}
        title={title}
        width={W}
        height={H}
        desc={
          <>
            {desc} {chart.bars.map((b) => `${b.name}: ${formatNumber(b.value, locale)}`).join('；')}
          </>
        }
      >
        <g className="chart-grid">
          {ticks.map((v) => (
            <g key={v}>
              <line x1={x(v)} x2={x(v)} y1={m.top} y2={H - m.bottom} />
              <text x={x(v)} y={H - m.bottom + 18} textAnchor="middle">
                {formatNumber(v, locale)}
              </text>
            </g>
          ))}
        </g>
        {chart.bars.map((b, i) => {
          const yTop = m.top + i * row + 5;
          return (
            <g key={b.name} className="chart-bar">
              <text
                x={m.left - 8}
                y={yTop + (row - 10) / 2}
                textAnchor="end"
                dominantBaseline="middle"
              >
                {b.name.length > 12 ? `${b.name.slice(0, 11)}…` : b.name}
              </text>
              <rect
                x={m.left}
                y={yTop}
                width={Math.max(x(b.value) - m.left, 1)}
                height={row - 10}
                fill={PALETTE[0]}
              />
              <text x={x(b.value) + 6} y={yTop + (row - 10) / 2} dominantBaseline="middle">
                {formatNumber(b.value, locale)}
              </text>
            </g>
          );
        })}
      </ChartSvg>
      <details className="chart-table">
        <summary>{t.dataset.chartTable}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{chart.category.label}</th>
                <th scope="col">{valueLabel}</th>
                {chart.measure ? <th scope="col">{t.dataset.chartCount}</th> : null}
              </tr>
            </thead>
            <tbody>
              {chart.bars.map((b) => (
                <tr key={b.name}>
                  <td>{b.name}</td>
                  <td className="num">{formatNumber(b.value, locale)}</td>
                  {chart.measure ? <td className="num">{b.count}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </ChartFigure>
  );
}

/** A dataset's chart as server-rendered SVG, with its numbers also as a table. */
export function Chart({
  chart,
  t,
  locale,
  id = 'chart',
}: {
  chart: ChartSpec;
  t: Messages;
  locale: Locale;
  id?: string;
}) {
  return chart.kind === 'time-series' ? (
    <TimeSeries chart={chart} t={t} locale={locale} id={id} />
  ) : (
    <Bars chart={chart} t={t} locale={locale} id={id} />
  );
}
