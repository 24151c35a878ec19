import { backWithForm } from '../../../../lib/console/carriedForm.ts';
import {
  consoleAction,
  field,
  problemText,
  type ActionOutcome,
} from '../../../../lib/console/consoleAction.ts';
import {
  CONNECTOR_NAME,
  connectorFromForm,
  formProblemText,
} from '../../../../lib/console/steward/connectorForm.ts';
import {
  changeConnector,
  createConnector,
  deleteConnector,
  requestInitialLoad,
  resetOffsets,
  saveConnectorConfig,
  validateConfig,
} from '../../../../lib/console/steward/connectors.ts';
import { stewardText, type StewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';

export const dynamic = 'force-dynamic';

const LIST = '/console/connectors';
const CHANGES = new Set(['pause', 'resume', 'stop', 'restart']);

/**
 * The steward's connector actions; the connectors API checks each is the steward's
 * department's, and its refusal comes back as the flash. From the list: 暂停, 恢复, 停止, 重启,
 * 重新同步存量, 重置位点 and 删除 (the last three confirmed on the page first). From the JSON form (新建 or
 * 修改配置): 校验, 创建, 保存 — which always go back to the form with what was typed (sealed, see
 * carriedForm.ts), where the page lists the API's problems by their fields' titles.
 */
export async function POST(request: Request): Promise<Response> {
  return consoleAction(request, LIST, async ({ form, accessToken }) => {
    const { locale } = await getPrefs();
    const t = stewardText(locale);
    const op = field(form, 'op');
    if (op === 'validate-new' || op === 'create' || op === 'validate-edit' || op === 'save')
      return connectorForm(form, op, accessToken, t);
    const name = field(form, 'name');
    if (!CONNECTOR_NAME.test(name)) return { flash: { kind: 'error', text: t.connectorFailed } };
    if (CHANGES.has(op)) {
      const change = op as 'pause' | 'resume' | 'stop' | 'restart';
      const done = await changeConnector(accessToken, name, change);
      const text = { pause: t.paused, resume: t.resumed, stop: t.stopped, restart: t.restarted };
      return done.ok
        ? { flash: { kind: 'done', text: text[change] } }
        : { flash: { kind: 'error', text: problemText(done.problem, t.connectorFailed) } };
    }
    if (op === 'initial-load') {
      const done = await requestInitialLoad(accessToken, name);
      return done.ok
        ? { flash: { kind: 'done', text: t.initialLoadQueued(name, done.data.queued) } }
        : { flash: { kind: 'error', text: problemText(done.problem, t.connectorFailed) } };
    }
    if (op === 'reset' || op === 'delete') {
      const done =
        op === 'reset'
          ? await resetOffsets(accessToken, name)
          : await deleteConnector(accessToken, name);
      return done.ok
        ? { flash: { kind: 'done', text: (op === 'reset' ? t.offsetsReset : t.deleted)(name) } }
        : { flash: { kind: 'error', text: problemText(done.problem, t.connectorFailed) } };
    }
    return { flash: { kind: 'error', text: t.connectorFailed } };
  });
}

async function connectorForm(
  form: FormData,
  op: 'validate-new' | 'create' | 'validate-edit' | 'save',
  accessToken: string,
  t: StewardText,
): Promise<ActionOutcome> {
  const editing = op === 'validate-edit' || op === 'save';
  // 校验 on 新建 checks a name only once one is given
  const withName = op !== 'validate-new' || field(form, 'name') !== '';
  const asked = connectorFromForm(form, { withName });
  if (editing && !CONNECTOR_NAME.test(asked.name))
    return { to: LIST, flash: { kind: 'error', text: t.connectorFailed } };
  const page = editing ? `${LIST}/${asked.name}/config` : `${LIST}/new`;
  // the type chosen on 新建 stays in the URL; the configuration itself only sealed
  const back = backWithForm(
    'console-connector-form',
    form,
    page,
    editing ? {} : { type: asked.type },
  );
  const failed =
    op === 'create' ? t.createFailed : op === 'save' ? t.connectorSaveFailed : t.validateFailed;
  if (asked.problems.length > 0 || !asked.config) {
    const text = asked.problems.map((p) => formProblemText(p, t)).join(' ');
    return back({ kind: 'error', text: text || failed });
  }
  const checked = await validateConfig(accessToken, asked.type, asked.config);
  if (!checked.ok) return back({ kind: 'error', text: problemText(checked.problem, failed) });
  if (checked.data.errorCount > 0)
    return back({ kind: 'error', text: t.configProblems(checked.data.errorCount) });
  if (op === 'validate-new' || op === 'validate-edit')
    return back({ kind: 'done', text: t.configOk });
  const done =
    op === 'create'
      ? await createConnector(accessToken, asked.name, asked.config)
      : await saveConnectorConfig(accessToken, asked.name, asked.config);
  if (!done.ok) return back({ kind: 'error', text: problemText(done.problem, failed) });
  return {
    to: LIST,
    flash: {
      kind: 'done',
      text: (op === 'create' ? t.connectorCreated : t.connectorSaved)(asked.name),
    },
  };
}
