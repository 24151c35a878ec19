import type { Messages } from '../lib/i18n/messages.ts';

/**
 * The search box: a plain GET form to /search, so a search is a URL. `hidden` carries the
 * chosen facets along when the words change.
 */
export function SearchForm({
  t,
  q = '',
  hidden = [],
  large = false,
  id = 'search-q',
}: {
  t: Messages;
  q?: string;
  hidden?: [string, string][];
  large?: boolean;
  id?: string;
}) {
  return (
    <form
      method="get"
      action="/search"
      role="search"
      className={large ? 'search-form large' : 'search-form'}
    >
      <label htmlFor={id} className={large ? 'search-label' : 'visually-hidden'}>
        {t.home.searchLabel}
      </label>
      <div className="search-row">
        <input
          id={id}
          name="q"
          type="search"
          defaultValue={q}
          maxLength={200}
          placeholder={t.home.searchPlaceholder}
          autoComplete="off"
        />
        {hidden.map(([name, value]) => (
          <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button primary">
          {t.home.searchButton}
        </button>
      </div>
    </form>
  );
}
