import type { Flash } from '../../lib/console/flash.ts';

/** The outcome of the last console form: a status line, or an alert for an error. */
export function FlashMessage({ flash }: { flash: Flash | undefined }) {
  if (!flash) return null;
  return flash.kind === 'error' ? (
    <div className="notice notice-error console-flash" role="alert">
      <p>{flash.text}</p>
    </div>
  ) : (
    <div className="notice notice-done console-flash" role="status">
      <p>{flash.text}</p>
    </div>
  );
}
