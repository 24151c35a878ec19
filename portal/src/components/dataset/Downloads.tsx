import type { Resource } from '../../lib/api/catalog.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

/**
 * Download links go straight to the exchange's open-data endpoint (PUBLIC_EXCHANGE_URL): the
 * exchange streams the file with its signed receipt in an HTTP trailer, which a proxy through
 * the portal would drop, and large files do not pass through the portal (ADR 0008).
 */
export function Downloads({
  resource,
  baseUrl,
  t,
}: {
  resource: Resource;
  baseUrl: string;
  t: Messages;
}) {
  if (resource.openType !== 'open') {
    return (
      <div className="notice">
        <p>{t.dataset.downloadConditional}</p>
        {resource.openConditions ? (
          <p>
            {t.labelled(t.meta.openConditions, '')}
            <span lang="zh-CN">{resource.openConditions}</span>
          </p>
        ) : null}
      </div>
    );
  }
  const href = (format: string) =>
    `${baseUrl}/v1/open/resources/${encodeURIComponent(resource.code)}/download?format=${format}`;
  const formats = [
    {
      format: 'csv',
      name: t.dataset.downloadCsv,
      hint: t.dataset.downloadCsvHint,
      type: 'text/csv',
    },
    {
      format: 'json',
      name: t.dataset.downloadJson,
      hint: t.dataset.downloadJsonHint,
      type: 'application/json',
    },
    {
      format: 'xlsx',
      name: t.dataset.downloadXlsx,
      hint: t.dataset.downloadXlsxHint,
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
  ];
  return (
    <ul className="downloads">
      {formats.map((f) => (
        <li key={f.format}>
          <a
            href={href(f.format)}
            type={f.type}
            rel="nofollow"
            className="download-link"
            data-format={f.format}
          >
            <span className="download-format" aria-hidden="true">
              {f.format.toUpperCase()}
            </span>
            <span className="download-text">
              <span className="download-name">{t.labelled(t.dataset.downloads, f.name)}</span>
              <span className="download-hint">{f.hint}</span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
