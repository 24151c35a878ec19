import type { Messages } from '../../lib/i18n/messages.ts';

/**
 * A harvested entry (采集自上级或下级目录) is a copy of another catalogue's description: this
 * platform holds none of its data, so instead of downloads, preview and API requests (which the
 * exchange answers 404) the visitor is told where the data is, with a link to the entry's page
 * in its source catalogue when the source gave one.
 */
export function HarvestedNotice({
  harvest,
  t,
}: {
  harvest: { source: string; sourceUrl: string | null };
  t: Messages;
}) {
  // only a web address becomes a link: the source catalogue wrote it, not us
  const href =
    harvest.sourceUrl && /^https?:\/\//i.test(harvest.sourceUrl) ? harvest.sourceUrl : null;
  return (
    <section aria-labelledby="harvested-title" className="notice" data-testid="harvested">
      <h2 id="harvested-title">{t.dataset.harvestedTitle}</h2>
      <p>{t.dataset.harvestedExplanation(harvest.source)}</p>
      {href ? (
        <p>
          <a href={href} rel="noopener noreferrer external">
            {t.dataset.harvestedLink(harvest.source)}
          </a>
        </p>
      ) : null}
    </section>
  );
}
