import jsonld from 'jsonld';
import { Writer, type Quad } from 'n3';

/** The RDF serialisations the DCAT-AP export offers. */
export type RdfFormat = 'turtle' | 'jsonld';

function write(quads: readonly Quad[], options: ConstructorParameters<typeof Writer>[0]) {
  return new Promise<string>((resolve, reject) => {
    const writer = new Writer(options);
    writer.addQuads([...quads]);
    writer.end((error: Error | null, result: string) => (error ? reject(error) : resolve(result)));
  });
}

/** Turtle with our prefixes; triples grouped by subject (stable sort keeps insertion order). */
export function toTurtle(
  quads: readonly Quad[],
  prefixes: Record<string, string>,
): Promise<string> {
  const bySubject = [...quads].sort((a, b) =>
    a.subject.value < b.subject.value ? -1 : a.subject.value > b.subject.value ? 1 : 0,
  );
  return write(bySubject, { format: 'Turtle', prefixes });
}

/**
 * A JSON-LD processor must never fetch anything while we serialise: the context is inline and
 * any remote reference is a bug.
 */
const refuseRemote = (url: string): never => {
  throw new Error(`JSON-LD serialisation tried to load ${url}`);
};

/**
 * Compact JSON-LD with an inline @context made of the same prefixes as the Turtle (so a
 * consumer's processor never fetches a remote context either). Produced from the same quads
 * as the Turtle, through N-Quads, so both serialisations carry the same graph.
 */
export async function toJsonLd(
  quads: readonly Quad[],
  prefixes: Record<string, string>,
): Promise<Record<string, unknown>> {
  const nquads = await write(quads, { format: 'N-Quads' });
  const expanded = await jsonld.fromRDF(nquads, { format: 'application/n-quads' });
  const context = { ...prefixes };
  return (await jsonld.compact(expanded, context, {
    documentLoader: refuseRemote as never,
  })) as Record<string, unknown>;
}
