import type { Quad } from 'n3';
import { NotFoundError } from '@gx/platform';
import { loadCatalogPublisher } from '../catalogPublisher.ts';
import {
  buildOwnScheme,
  buildOwnVocabulary,
  buildThemeScheme,
  type DcatContext,
} from './dcatGraph.ts';
import type { DcatGraph, ExportBase } from './exportDcat.ts';
import { isOwnSchemeName, OWN_SCHEME_NAMES, prefixesFor } from './namespaces.ts';

/**
 * Our own vocabulary, served where the export mints its IRIs so that they dereference: the
 * theme scheme (`/dcat/themes`), the code schemes (`/dcat/vocab/<scheme>`) and the properties
 * (`/dcat/vocab`). The same for every caller: they describe classifications, not entries.
 */
export type ExportOwnVocabularyOptions = Omit<ExportBase, 'actor'>;

async function ownDocument(
  { prisma, base, config }: ExportOwnVocabularyOptions,
  build: (ctx: DcatContext) => Quad[],
): Promise<DcatGraph> {
  const publisher = await loadCatalogPublisher(prisma);
  return { quads: build({ base, config, publisher }), prefixes: prefixesFor(base), modified: null };
}

/** The theme scheme with every theme of the directory, in the directory's order. */
export async function exportDcatThemes(options: ExportOwnVocabularyOptions): Promise<DcatGraph> {
  const themes = await options.prisma.theme.findMany({
    select: { code: true, name: true, kind: true },
    orderBy: [{ position: 'asc' }, { code: 'asc' }],
  });
  return ownDocument(options, (ctx) => buildThemeScheme(ctx, themes));
}

export interface ExportDcatConceptSchemeOptions extends ExportOwnVocabularyOptions {
  /** `sharing-types`, `open-types` or `resource-formats`; anything else answers 404 */
  scheme: string;
}

/** One of our code schemes with all its codes. */
export async function exportDcatConceptScheme({
  scheme,
  ...options
}: ExportDcatConceptSchemeOptions): Promise<DcatGraph> {
  if (!isOwnSchemeName(scheme)) {
    throw new NotFoundError(`没有名为 ${scheme} 的概念体系（有：${OWN_SCHEME_NAMES.join('、')}）`);
  }
  return ownDocument(options, (ctx) => buildOwnScheme(ctx, scheme));
}

/** The definitions of our properties (gx:). */
export function exportDcatVocabulary(options: ExportOwnVocabularyOptions): Promise<DcatGraph> {
  return ownDocument(options, buildOwnVocabulary);
}
