import type { Prisma } from '@gx/migrations';
import { searchText } from './segmentChinese.ts';

export interface SearchableResource {
  id: string;
  name: string;
  abstract: string;
  keywords: string[];
  providerName: string;
  providerShortName: string | null;
  themeName: string;
  itemLabels: string[];
}

/**
 * Rebuild a resource's full-text document. Weights: name A; keywords, department and theme B;
 * abstract and field labels C — so a match in the name ranks first.
 */
export async function updateSearchDocument(
  tx: Prisma.TransactionClient,
  r: SearchableResource,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE resources SET search_document =
        setweight(to_tsvector('simple', ${searchText(r.name)}), 'A')
     || setweight(to_tsvector('simple', ${searchText([...r.keywords, r.providerName, r.providerShortName ?? '', r.themeName].join(' '))}), 'B')
     || setweight(to_tsvector('simple', ${searchText([r.abstract, ...r.itemLabels].join(' '))}), 'C')
     WHERE id = ${r.id}::uuid`;
}
