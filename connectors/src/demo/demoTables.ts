/** The parts of a resource's record schema (resource_schema_versions.json_schema) used here. */
export interface RecordSchema {
  required: string[];
  'x-key': string[];
  properties: Record<
    string,
    {
      type?: string;
      format?: string;
      maxLength?: number;
      title?: string;
      'x-personal'?: boolean;
      'x-grade'?: string;
    }
  >;
}

/** PostgreSQL's identifier quoting. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The SQL type an agency system would give an information item of this schema type. */
export function columnType(property: RecordSchema['properties'][string]): string {
  switch (property.type) {
    case 'string':
      if (property.format === 'date') return 'date';
      if (property.format === 'date-time') return 'timestamptz';
      return property.maxLength ? `varchar(${property.maxLength})` : 'text';
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    default:
      return 'jsonb';
  }
}

export interface DemoTableOptions {
  table: string;
  /** the Chinese description of the table (COMMENT ON TABLE) */
  comment: string;
  schema: RecordSchema;
  /** the columns, in order (default: every item of the schema) */
  fields?: readonly string[];
  /** columns that hold masked values: whatever the item's type, a masked value is text */
  textFields?: readonly string[];
  /** add `updated_at timestamptz NOT NULL DEFAULT clock_timestamp()` and its keyset index */
  updatedAt?: boolean;
}

/**
 * A department's table for a resource's records: one column per information item with its SQL
 * type, NOT NULL for required items, the resource's key as primary key, the items' labels as
 * column comments. Statements to run in order.
 */
export function demoTableSql(options: DemoTableOptions): string[] {
  const { schema } = options;
  const fields = options.fields ?? Object.keys(schema.properties);
  const key = schema['x-key'];
  const table = quoteIdentifier(options.table);
  const columns = fields.map((field) => {
    const property = schema.properties[field]!;
    const type = options.textFields?.includes(field) ? 'text' : columnType(property);
    const required = schema.required.includes(field) || key.includes(field);
    return `${quoteIdentifier(field)} ${type}${required ? ' NOT NULL' : ''}`;
  });
  if (options.updatedAt) columns.push('updated_at timestamptz NOT NULL DEFAULT clock_timestamp()');
  columns.push(`PRIMARY KEY (${key.map(quoteIdentifier).join(', ')})`);
  const statements = [
    `CREATE TABLE ${table} (\n  ${columns.join(',\n  ')}\n)`,
    `COMMENT ON TABLE ${table} IS ${quoteLiteral(options.comment)}`,
    ...fields
      .filter((field) => schema.properties[field]!.title)
      .map(
        (field) =>
          `COMMENT ON COLUMN ${table}.${quoteIdentifier(field)} IS ${quoteLiteral(schema.properties[field]!.title!)}`,
      ),
  ];
  if (options.updatedAt) {
    // the source connector reads in (updated_at, key) order
    statements.push(
      `CREATE INDEX ${quoteIdentifier(`${options.table}_updated_at_idx`)} ON ${table} (updated_at, ${key.map(quoteIdentifier).join(', ')})`,
      `COMMENT ON COLUMN ${table}.updated_at IS '最后更新时间'`,
    );
  }
  return statements;
}
