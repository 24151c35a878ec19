/** What the dataset page needs of a 开放申请 (the generated API type stays out of the tests). */
export interface ApplicationState {
  resourceCode: string;
  status: string;
  validUntil: string | null;
}

/**
 * The developer's live application for the dataset `code`, as the exchange counts one when it
 * refuses a second (409): waiting for review, or approved and not yet past its validity.
 */
export function liveApplicationFor<T extends ApplicationState>(
  applications: readonly T[],
  code: string,
  now: number = Date.now(),
): T | undefined {
  return applications.find(
    (a) =>
      a.resourceCode === code &&
      (a.status === 'submitted' ||
        (a.status === 'approved' && (a.validUntil === null || Date.parse(a.validUntil) > now))),
  );
}
