'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { stewardText } from '../../../lib/i18n/console/steward.ts';
import type { Locale } from '../../../lib/i18n/locales.ts';

export interface JobProgress {
  status: string;
  phase: string | null;
  processedRows: number;
  totalRows: number | null;
}

const POLL_MS = 500;
const done = (status: string) => status === 'succeeded' || status === 'failed';

/**
 * The import job's progress bar. The server renders the state it saw; while the job runs this
 * polls the portal's status route and, when the job ends, refreshes the page so the server
 * renders the outcome (the imported drafts, or every wrong cell).
 */
export function ImportProgress({
  locale,
  id,
  initial,
}: {
  locale: Locale;
  id: string;
  initial: JobProgress;
}) {
  const t = stewardText(locale);
  const router = useRouter();
  const [job, setJob] = useState(initial);

  useEffect(() => {
    if (done(initial.status)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await fetch(`/console/import/${id}/status`, { cache: 'no-store' });
        if (answer.ok) {
          const next = (await answer.json()) as JobProgress;
          if (stopped) return;
          setJob(next);
          if (done(next.status)) {
            router.refresh();
            return;
          }
        }
      } catch {
        // a missed poll is retried; the page itself still shows the last state on reload
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [id, initial.status, router]);

  const finished = done(job.status);
  const total = job.totalRows ?? 0;
  const phaseShare = { reading: 0, validating: 0.2, writing: 0.6 }[job.phase ?? ''] ?? 0;
  const phaseSpan = job.phase === 'reading' ? 0.2 : job.phase === 'validating' ? 0.4 : 0.4;
  const percent = finished
    ? 100
    : Math.min(
        99,
        Math.round((phaseShare + (total ? (job.processedRows / total) * phaseSpan : 0)) * 100),
      );
  const label = finished
    ? (t.jobStatus[job.status] ?? job.status)
    : `${t.jobStatus[job.status] ?? job.status}${job.phase ? ` · ${t.jobPhase[job.phase] ?? job.phase}` : ''} · ${t.rowsDone(job.processedRows, job.totalRows)}`;
  return (
    <div className="steward-progress">
      <label htmlFor={`job-${id}`}>{t.progressLabel}</label>
      <progress id={`job-${id}`} max={100} value={percent} aria-valuetext={label}>
        {percent}%
      </progress>
      <p role="status" aria-live="polite" className="steward-progress-text">
        {label}
      </p>
    </div>
  );
}
