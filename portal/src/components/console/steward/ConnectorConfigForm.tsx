import type { TitledProblem } from '../../../lib/console/steward/connectorFieldTitle.ts';
import type { StewardText } from '../../../lib/i18n/console/steward.ts';

/** the flash alert, which the refused inputs point at */
export const CONNECTOR_ERROR_ID = 'connector-error';
const PROBLEMS_ID = 'config-problems';

/**
 * The connector's JSON form, for 新建连接器 (`type` chosen, a name to give) and 修改配置 (the
 * name fixed): the configuration in a textarea, 校验 and 创建 / 保存. The API's problems are listed
 * under the textarea by their field's title (投递目录：必填), the JSON pointer beside it to find the
 * key in the text, or by the pointer alone where the schema names no field; refused inputs carry
 * aria-invalid and point at the alert.
 */
export function ConnectorConfigForm({
  mode,
  type,
  name,
  configText,
  problems,
  refused,
  t,
}: {
  mode: 'new' | 'edit';
  /** new: the chosen plugin type */
  type?: string;
  name: string;
  configText: string;
  /** the connectors API's problems with the configuration, by JSON pointer and field title */
  problems: readonly TitledProblem[];
  /** the inputs a refusal is about ('name', 'config') */
  refused: readonly string[];
  t: StewardText;
}) {
  const invalid = (input: string, ...more: string[]) => {
    const describedBy = refused.includes(input) ? [CONNECTOR_ERROR_ID, ...more] : more;
    return {
      ...(refused.includes(input) ? { 'aria-invalid': true } : {}),
      'aria-describedby': describedBy.join(' ') || undefined,
    };
  };
  return (
    <form method="post" action="/console/connectors/action" className="console-form connector-form">
      {mode === 'new' ? (
        <>
          <input type="hidden" name="type" value={type} />
          <label>
            {t.connectorName}
            <input
              type="text"
              name="name"
              required
              maxLength={100}
              pattern="[a-z0-9][a-z0-9._\-]{0,99}"
              autoComplete="off"
              spellCheck={false}
              defaultValue={name}
              {...invalid('name', 'connector-name-hint')}
            />
            <span id="connector-name-hint" className="hint">
              {t.connectorNameHint}
            </span>
          </label>
        </>
      ) : (
        <input type="hidden" name="name" value={name} />
      )}
      <label>
        {t.configLabel}
        <textarea
          name="config"
          rows={18}
          required
          maxLength={4000}
          spellCheck={false}
          className="connector-config"
          defaultValue={configText}
          {...invalid('config', ...(problems.length > 0 ? [PROBLEMS_ID] : []), 'config-hint')}
        />
        <span id="config-hint" className="hint">
          {mode === 'new' ? t.configHint : t.editHint}
        </span>
      </label>
      {problems.length > 0 ? (
        <section aria-labelledby="config-problems-title" className="connector-problems">
          <h2 id="config-problems-title">{t.connectorProblemsTitle}</h2>
          <ul id={PROBLEMS_ID}>
            {problems.map((p) => (
              <li key={`${p.path}\u0000${p.message}`}>
                {p.title ? (
                  <>
                    <strong>{p.title}</strong>
                    {t.fieldSeparator}
                    {p.message} <code className="hint">{p.path}</code>
                  </>
                ) : (
                  <>
                    <code>{p.path}</code> {p.message}
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="inline-actions">
        <button
          type="submit"
          name="op"
          value={mode === 'new' ? 'validate-new' : 'validate-edit'}
          className="button"
          formNoValidate
        >
          {t.validate}
        </button>
        <button
          type="submit"
          name="op"
          value={mode === 'new' ? 'create' : 'save'}
          className="button primary"
        >
          {mode === 'new' ? t.create : t.save}
        </button>
      </p>
    </form>
  );
}
