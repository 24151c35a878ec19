import type { Messages } from '../../lib/i18n/messages.ts';
import { CopyButton } from '../CopyButton.tsx';

/**
 * Where the open-data API's OpenAPI description is (a link to download it) and the command that
 * generates the TypeScript types the examples import, with that address filled in.
 */
export function OpenApiDescription({ url, t }: { url: string; t: Messages }) {
  const command = `npx openapi-typescript ${url} -o exchange-api.ts`;
  return (
    <div className="openapi-description">
      <p>
        {t.dataset.apiDescription}
        <a href={url} download="open-data-api.json">
          {url}
        </a>
      </p>
      <p className="note">{t.dataset.apiTsNote}</p>
      <div className="code-sample">
        <div className="code-head">
          <span>{t.dataset.apiTsCommand}</span>
          <CopyButton text={command} label={t.dataset.copy} done={t.dataset.copied} />
        </div>
        <pre tabIndex={0}>
          <code>{command}</code>
        </pre>
      </div>
    </div>
  );
}
