import type { PrismaClient } from '@gx/migrations';
import { THEME_TO_EU } from '../interop/dcat/vocabularies.ts';
import type { RemoteTheme } from './remoteEntry.ts';

interface ThemeRow {
  code: string;
  name: string;
  kind: string;
  classCode: string;
}

/**
 * Local theme of a remote entry: the first remote theme whose code is a local theme code, or
 * whose label is a local theme name; else the first EU data theme, read back through the DCAT
 * export's table (a thematic domain before a base database: HEAL is 医疗卫生, not a base
 * library); else the source's fallback theme.
 */
export class ThemeResolver {
  private constructor(
    private readonly byCode: Map<string, ThemeRow>,
    private readonly byName: Map<string, ThemeRow>,
    private readonly byEuTheme: Map<string, ThemeRow>,
    private readonly fallback: ThemeRow,
  ) {}

  static async load(prisma: PrismaClient, fallbackCode: string): Promise<ThemeResolver> {
    const themes = await prisma.theme.findMany({ orderBy: { position: 'asc' } });
    const byCode = new Map(themes.map((t) => [t.code.toLowerCase(), t]));
    const byName = new Map(themes.map((t) => [t.name, t]));
    const byEuTheme = new Map<string, ThemeRow>();
    const ordered = [
      ...themes.filter((t) => t.kind === 'domain'),
      ...themes.filter((t) => t.kind !== 'domain'),
    ];
    // primary EU themes first, secondary ones only where no theme claims them as primary
    for (const rank of [0, 1, 2]) {
      for (const theme of ordered) {
        const eu = THEME_TO_EU[theme.code]?.[rank];
        if (eu && !byEuTheme.has(eu.iri)) byEuTheme.set(eu.iri, theme);
      }
    }
    const fallback = byCode.get(fallbackCode.toLowerCase());
    if (!fallback) throw new Error(`fallback theme ${fallbackCode} does not exist`);
    return new ThemeResolver(byCode, byName, byEuTheme, fallback);
  }

  resolve(themes: readonly RemoteTheme[]): ThemeRow {
    for (const t of themes) {
      const local =
        (t.code && this.byCode.get(t.code.toLowerCase())) || (t.name && this.byName.get(t.name));
      if (local) return local;
    }
    for (const t of themes) {
      const local = t.euTheme && this.byEuTheme.get(t.euTheme);
      if (local) return local;
    }
    return this.fallback;
  }
}
