/**
 * An action that cannot be undone (rotating a secret stops the old one at once, disabling stops
 * new tokens, deleting a connector, resetting its offsets) behind a second, explicit step: the
 * first button only opens the question, the second posts `op` and `fields` to `action`.
 * `<details>` keeps it keyboard-reachable and working without JavaScript. `children` (a reason
 * to give, say) go into the confirming form, above the question.
 */
export function ConfirmedAction({
  action,
  op,
  fields,
  label,
  question,
  confirm,
  subject,
  danger = false,
  children,
}: {
  /** the console route the confirmed form posts to */
  action: string;
  op: string;
  /** hidden fields naming what the action is about */
  fields: Record<string, string>;
  label: string;
  question: string;
  confirm: string;
  subject: string;
  danger?: boolean;
  /** more fields the person fills in while confirming */
  children?: React.ReactNode;
}) {
  return (
    <details className="console-confirm">
      <summary className={`button small${danger ? ' danger' : ''}`}>
        {label}
        <span className="visually-hidden">：{subject}</span>
      </summary>
      <form method="post" action={action}>
        <input type="hidden" name="op" value={op} />
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {children}
        <p>{question}</p>
        <button type="submit" className={`button small${danger ? ' danger' : ' primary'}`}>
          {confirm}
          <span className="visually-hidden">：{subject}</span>
        </button>
      </form>
    </details>
  );
}
