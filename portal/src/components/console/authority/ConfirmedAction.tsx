/**
 * A system action that cannot be undone (rotating a secret stops the old one at once, disabling
 * stops new tokens) behind a second, explicit step: the first button only opens the question,
 * the second posts. `<details>` keeps it keyboard-reachable and working without JavaScript.
 */
export function ConfirmedAction({
  op,
  clientId,
  label,
  question,
  confirm,
  subject,
  danger = false,
}: {
  op: string;
  clientId: string;
  label: string;
  question: string;
  confirm: string;
  subject: string;
  danger?: boolean;
}) {
  return (
    <details className="organisation-confirm">
      <summary className={`button small${danger ? ' danger' : ''}`}>
        {label}
        <span className="visually-hidden">：{subject}</span>
      </summary>
      <form method="post" action="/console/organisation/action">
        <input type="hidden" name="op" value={op} />
        <input type="hidden" name="clientId" value={clientId} />
        <p>{question}</p>
        <button type="submit" className={`button small${danger ? ' danger' : ' primary'}`}>
          {confirm}
          <span className="visually-hidden">：{subject}</span>
        </button>
      </form>
    </details>
  );
}
