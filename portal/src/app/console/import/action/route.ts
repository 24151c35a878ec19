import { consoleAction, problemText } from '../../../../lib/console/consoleAction.ts';
import { MAX_WORKBOOK_BYTES, startImport } from '../../../../lib/console/steward/imports.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';

export const dynamic = 'force-dynamic';

const t = stewardText('zh-CN');

/**
 * The upload form (multipart): the workbook goes on to the catalog as a background import
 * job, and the steward follows it on the job's page.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, '/console/import', async ({ form, accessToken }) => {
    const file = form.get('file');
    if (!file || typeof file === 'string' || file.size === 0)
      return { flash: { kind: 'error', text: t.noFile } };
    if (file.size > MAX_WORKBOOK_BYTES) return { flash: { kind: 'error', text: t.fileTooLarge } };
    const started = await startImport(accessToken, await file.arrayBuffer());
    if (!started.ok)
      return { flash: { kind: 'error', text: problemText(started.problem, t.uploadFailed) } };
    return { to: `/console/import/${started.data.id}` };
  });
}
