import Link from 'next/link';
import type { Messages } from '../../lib/i18n/messages.ts';

/**
 * The confirmation step of a final action (吊销 a key, 撤回 an application): a page section the
 * row's link opens (`?…#confirm`), whose form posts `fields` to `action`; no JavaScript needed.
 */
export function ConfirmStep({
  t,
  title,
  text,
  action,
  fields,
  button,
  back,
}: {
  t: Messages;
  title: string;
  text: string;
  action: string;
  fields: Record<string, string>;
  button: string;
  /** the page without the step */
  back: string;
}) {
  return (
    <section id="confirm" className="confirm-box" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{title}</h2>
      <p>{text}</p>
      <form method="post" action={action} className="inline-actions">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button danger">
          {button}
        </button>
        <Link href={back} className="button">
          {t.developer.cancel}
        </Link>
      </form>
    </section>
  );
}
