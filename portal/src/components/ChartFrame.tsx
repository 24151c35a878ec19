import type { HTMLAttributes, ReactNode } from 'react';

/**
 * The frame every chart of the portal shares: a figure captioned by its title and a note,
 * and one SVG whose accessible name and description repeat them for screen readers (the
 * numbers themselves are in a table beside each chart).
 */
export function ChartFigure({
  id,
  title,
  note,
  noteProps,
  className = 'chart',
  children,
}: {
  id: string;
  title: string;
  note: string;
  noteProps?: HTMLAttributes<HTMLSpanElement> & Record<`data-${string}`, unknown>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <figure className={className} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{title}</strong>
        <span className="chart-note" {...noteProps}>
          {note}
        </span>
      </figcaption>
      {children}
    </figure>
  );
}

export function ChartSvg({
  id,
  title,
  desc,
  width,
  height,
  children,
}: {
  id: string;
  title: string;
  desc: ReactNode;
  width: number;
  height: number;
  children: ReactNode;
}) {
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      className="chart-svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}
