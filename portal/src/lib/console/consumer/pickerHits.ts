/**
 * What 新建共享申请's resource picker lists and counts. The directory search cannot leave a
 * provider out, and staff see their own department's entries (its drafts too) and, as approvers
 * of the data authority, entries in review: the picker keeps only other departments' published
 * entries, and counts the matches less its own department's (the search's department facet,
 * counted over the same matches), so that 找到 N 条 counts what can be asked for.
 */

/** the search's page size for the picker: room for the own department's matches to drop out */
export const PICKER_FETCH_SIZE = 100;

interface Hit {
  provider: { code: string };
  status: string;
}

interface Found<H extends Hit> {
  total: number;
  items: H[];
  facets: { department: { value: string; count: number }[] };
}

export function pickerHits<H extends Hit>(
  found: Found<H>,
  ownDepartment: string | undefined,
  shown: number,
): { total: number; items: H[] } {
  const askable = found.items.filter(
    (h) => h.status === 'published' && h.provider.code !== ownDepartment,
  );
  const own = found.facets.department.find((b) => b.value === ownDepartment)?.count ?? 0;
  const items = askable.slice(0, shown);
  // never fewer than listed (another department's entry in review is counted, not listed)
  return { total: Math.max(found.total - own, items.length), items };
}
