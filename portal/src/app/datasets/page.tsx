import { permanentRedirect } from 'next/navigation';

/**
 * `/datasets` has no page of its own: each dataset lives at `/datasets/<code>`, and finding them
 * is the search page's job. A visitor who trims a dataset's address lands on the search, with
 * the same query, instead of "页面不存在".
 */
export default async function DatasetsIndex({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      query.append(name, one);
    }
  }
  const rest = query.toString();
  permanentRedirect(rest ? `/search?${rest}` : '/search');
}
