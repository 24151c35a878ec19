import type { ReviewPage } from '../../lib/api/reviews.ts';
import { carriedValue, type CarriedForm } from '../../lib/console/carriedForm.ts';
import { formatDate } from '../../lib/format.ts';
import type { Messages } from '../../lib/i18n/messages.ts';
import { Pagination } from '../Pagination.tsx';

/** What the review handler says back on the dataset page (`?review=…#reviews`). */
export type ReviewNotice = 'saved' | 'deleted' | 'input' | 'failed';

export const REVIEW_PAGE_SIZE = 10;

/** ★★★★☆ for the eye, "4 星" for screen readers. */
function Stars({ rating, t }: { rating: number; t: Messages }) {
  const full = Math.round(rating);
  return (
    <span className="stars">
      <span aria-hidden="true">{'★'.repeat(full) + '☆'.repeat(5 - full)}</span>
      <span className="visually-hidden">{t.reviews.stars(full)}</span>
    </span>
  );
}

/**
 * 评分与评论 of a dataset page: the average and count, the comments newest first (React escapes
 * them: they are plain text), and for a signed-in person the form that saves or deletes their
 * own review (posted to /reviews/action; works without JavaScript). A refused review comes back
 * with the stars and comment the person had chosen (`carried`, see carriedForm.ts).
 */
export function Reviews({
  code,
  reviews,
  page,
  signedIn,
  notice,
  carried,
  t,
}: {
  code: string;
  reviews: ReviewPage;
  page: number;
  signedIn: boolean;
  notice?: ReviewNotice;
  carried?: CarriedForm;
  t: Messages;
}) {
  const m = t.reviews;
  const base = `/datasets/${encodeURIComponent(code)}`;
  const mine = reviews.mine;
  // what a refused form held, else the saved review
  const rating = carried ? Number(carriedValue(carried, 'rating')) : mine?.rating;
  const comment = carried ? (carriedValue(carried, 'comment') ?? '') : (mine?.comment ?? '');
  const pages = Math.max(1, Math.ceil(reviews.count / REVIEW_PAGE_SIZE));
  return (
    <section id="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">{m.title}</h2>
      {notice === 'saved' || notice === 'deleted' ? (
        <p className="notice" role="status">
          {notice === 'saved' ? m.saved : m.deleted}
        </p>
      ) : notice ? (
        <p className="notice notice-error" role="alert">
          {notice === 'input' ? m.errorInput : m.errorFailed}
        </p>
      ) : null}
      {reviews.average === null ? (
        <p className="review-summary">{m.none}</p>
      ) : (
        <p className="review-summary">
          <Stars rating={reviews.average} t={t} />{' '}
          {m.average(reviews.average.toFixed(1), reviews.count)}
        </p>
      )}

      {signedIn ? (
        <form method="post" action="/reviews/action" className="key-form review-form">
          <input type="hidden" name="resourceCode" value={code} />
          <fieldset>
            <legend>
              {mine ? `${m.yourReview}：` : ''}
              {m.rating}
            </legend>
            {[5, 4, 3, 2, 1].map((n) => (
              <label key={n} className="check">
                <input
                  type="radio"
                  name="rating"
                  value={n}
                  required
                  defaultChecked={rating === n}
                />{' '}
                <span aria-hidden="true">{'★'.repeat(n)}</span> {m.stars(n)}
              </label>
            ))}
          </fieldset>
          <label htmlFor="review-comment">{m.comment}</label>
          <textarea id="review-comment" name="comment" maxLength={500} defaultValue={comment} />
          <button type="submit" name="op" value="save" className="button primary">
            {m.save}
          </button>
        </form>
      ) : (
        <p>
          {m.signInText}{' '}
          <a className="button" href={`/auth/login?next=${encodeURIComponent(`${base}#reviews`)}`}>
            {m.signInButton}
          </a>
        </p>
      )}
      {signedIn && mine ? (
        <form method="post" action="/reviews/action">
          <input type="hidden" name="resourceCode" value={code} />
          <button type="submit" name="op" value="delete" className="button small">
            {m.delete}
          </button>
        </form>
      ) : null}

      {reviews.items.length > 0 ? (
        <>
          <h3>{m.listTitle}</h3>
          <ol className="review-list">
            {reviews.items.map((r) => (
              <li key={r.id} className="review">
                <p className="review-head">
                  <Stars rating={r.rating} t={t} /> <span lang="zh-CN">{r.author}</span>
                  {r.mine ? m.mine : ''} ·{' '}
                  <time dateTime={r.updatedAt}>{formatDate(r.updatedAt)}</time>
                </p>
                {r.comment ? (
                  <p className="review-comment" lang="zh-CN">
                    {r.comment}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
          <Pagination
            current={page}
            total={pages}
            href={(p) => `${base}${p > 1 ? `?reviews=${p}` : ''}#reviews`}
            t={t}
            label={m.more}
          />
        </>
      ) : null}
    </section>
  );
}
