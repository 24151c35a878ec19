import type { Flash } from '../../lib/console/flash.ts';

/**
 * The outcome of the last console form: a status line, or an alert for an error. A form whose
 * refused fields point at the alert (`aria-describedby`) gives it an `id`.
 */
export function FlashMessage({ flash, id }: { flash: Flash | undefined; id?: string }) {
  if (!flash) return null;
  return flash.kind === 'error' ? (
    <div className="notice notice-error console-flash" role="alert" id={id}>
      <p>{flash.text}</p>
    </div>
  ) : (
    <div className="notice notice-done console-flash" role="status">
      <p>{flash.text}</p>
    </div>
  );
}
