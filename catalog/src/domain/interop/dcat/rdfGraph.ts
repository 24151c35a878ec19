import { DataFactory, type Literal, type NamedNode, type Quad } from 'n3';

const { namedNode, literal, quad } = DataFactory;

/**
 * A set of triples in insertion order. Shared nodes (a publisher, a theme, a vocabulary term)
 * are described once per dataset that uses them; the set keeps one copy, so the Turtle and
 * JSON-LD written from it carry each triple once. No blank nodes: every node has an IRI, which
 * keeps two serialisations of one graph comparable triple by triple.
 */
export class RdfGraph {
  private readonly seen = new Set<string>();
  readonly quads: Quad[] = [];

  /** @param prefixes prefix → namespace, for the CURIEs (`dct:title`) the builders write */
  constructor(private readonly prefixes: Readonly<Record<string, string>>) {}

  /** `dct:title` → full IRI */
  private iri(curie: string): string {
    const at = curie.indexOf(':');
    const ns = this.prefixes[curie.slice(0, at)];
    if (ns === undefined) throw new Error(`unknown prefix in ${curie}`);
    return ns + curie.slice(at + 1);
  }

  private add(subject: string, predicate: string, object: NamedNode | Literal): void {
    const key = `${subject}\u0000${predicate}\u0000${object.termType}\u0000${object.value}\u0000${
      object.termType === 'Literal' ? `${object.language}\u0000${object.datatype.value}` : ''
    }`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.quads.push(quad(namedNode(subject), namedNode(this.iri(predicate)), object));
  }

  /** rdf:type */
  type(subject: string, ...classes: string[]): void {
    for (const c of classes) this.add(subject, 'rdf:type', namedNode(this.iri(c)));
  }

  /** an IRI value (full IRI, not a CURIE) */
  link(subject: string, predicate: string, object: string): void {
    this.add(subject, predicate, namedNode(object));
  }

  /** a language-tagged string; empty or missing text adds nothing */
  text(subject: string, predicate: string, value: string | null | undefined, lang = 'zh'): void {
    if (value === null || value === undefined || value.trim() === '') return;
    this.add(subject, predicate, literal(value, lang));
  }

  /** a plain string (identifiers, codes) */
  plain(subject: string, predicate: string, value: string): void {
    this.add(subject, predicate, literal(value));
  }

  /** a typed literal, e.g. `xsd:dateTime` */
  typed(subject: string, predicate: string, value: string, datatype: string): void {
    this.add(subject, predicate, literal(value, namedNode(this.iri(datatype))));
  }

  dateTime(subject: string, predicate: string, value: Date): void {
    this.typed(subject, predicate, value.toISOString(), 'xsd:dateTime');
  }

  date(subject: string, predicate: string, value: Date): void {
    this.typed(subject, predicate, value.toISOString().slice(0, 10), 'xsd:date');
  }

  integer(subject: string, predicate: string, value: number): void {
    this.typed(subject, predicate, String(value), 'xsd:nonNegativeInteger');
  }
}
