/** How many of the newest open datasets the API docs look through for one that has records. */
export const EXAMPLE_CANDIDATES = 20;

/**
 * The dataset the API docs' examples name: the newest of `newest` (newest first) that has
 * records, so that the examples answer with data when run; the newest when none has any (or
 * none could be asked). Asked one at a time: in a working catalogue the newest usually has
 * records, and the page then costs one question.
 */
export async function exampleDataset<T extends { code: string }>(
  newest: readonly T[],
  hasRecords: (code: string) => Promise<boolean>,
): Promise<T | undefined> {
  for (const dataset of newest)
    if (await hasRecords(dataset.code).catch(() => false)) return dataset;
  return newest[0];
}
