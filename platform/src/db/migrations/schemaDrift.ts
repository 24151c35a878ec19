import { readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { PRISMA_SCHEMA_FILE } from '@gx/migrations';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
}

interface DmmfModel {
  name: string;
  dbName?: string | null;
  fields: DmmfField[];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  /** `Unsupported("…")` fields, which the DMMF leaves out: model, column, database type */
  unsupported: { model: string; column: string; type: string }[];
}

/** Fields of type `Unsupported("type")` (e.g. tsvector), read from the schema text. */
function unsupportedFields(prismaSchema: string): Datamodel['unsupported'] {
  const found: Datamodel['unsupported'] = [];
  for (const block of prismaSchema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    for (const line of block[2]!.split('\n')) {
      const field = /^\s*(\w+)\s+Unsupported\("([^"]+)"\)\??(.*)$/.exec(line);
      if (!field) continue;
      const column = /@map\("([^"]+)"\)/.exec(field[3]!)?.[1] ?? field[1]!;
      found.push({ model: block[1]!, column, type: field[2]! });
    }
  }
  return found;
}

export async function readDatamodel(file = PRISMA_SCHEMA_FILE): Promise<Datamodel> {
  const prismaSchema = await readFile(file, 'utf8');
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as {
    datamodel: Omit<Datamodel, 'unsupported'>;
  };
  return { ...dmmf.datamodel, unsupported: unsupportedFields(prismaSchema) };
}

const SCALAR_UDT: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Float: 'float8',
  Decimal: 'numeric',
  Boolean: 'bool',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const NATIVE_UDT: Record<string, string> = {
  Uuid: 'uuid',
  VarChar: 'varchar',
  Char: 'bpchar',
  Text: 'text',
  Timestamptz: 'timestamptz',
  Timestamp: 'timestamp',
  Date: 'date',
  SmallInt: 'int2',
  Integer: 'int4',
  BigInt: 'int8',
  DoublePrecision: 'float8',
  Real: 'float4',
  Decimal: 'numeric',
  JsonB: 'jsonb',
  Json: 'json',
  Inet: 'inet',
  ByteA: 'bytea',
};

function expectedUdt(field: DmmfField, enums: Map<string, DmmfEnum>): string {
  let base: string;
  if (field.kind === 'enum') {
    const e = enums.get(field.type);
    base = e?.dbName ?? field.type;
  } else if (field.nativeType) {
    base = NATIVE_UDT[field.nativeType[0]] ?? field.nativeType[0].toLowerCase();
  } else {
    base = SCALAR_UDT[field.type] ?? field.type.toLowerCase();
  }
  return field.isList ? `_${base}` : base;
}

interface Column {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  character_maximum_length: number | null;
}

/**
 * Compare `schema.prisma` with a migrated database and list every disagreement: a model
 * without its table, a table without its model, a column missing, extra, of another type,
 * nullability or default, a unique or foreign key the schema promises and the SQL lacks, an
 * enum whose values differ. An empty list means the Prisma client and the SQL agree.
 */
export async function findSchemaDrift(client: ClientBase, datamodel: Datamodel): Promise<string[]> {
  const problems: string[] = [];
  const enums = new Map(datamodel.enums.map((e) => [e.name, e]));
  const { rows: columns } = await client.query<Column>(
    `SELECT table_name, column_name, udt_name, is_nullable, column_default, character_maximum_length
       FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  const { rows: tableRows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const { rows: uniques } = await client.query<{ table_name: string; columns: string[] }>(
    `SELECT t.relname AS table_name,
            array_agg(a.attname ORDER BY a.attname)::text[] AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey)
      WHERE i.indisunique
      GROUP BY t.relname, i.indexrelid`,
  );
  const { rows: foreignKeys } = await client.query<{
    table_name: string;
    columns: string[];
    target: string;
  }>(
    `SELECT c.conrelid::regclass::text AS table_name,
            array_agg(a.attname ORDER BY a.attname)::text[] AS columns,
            c.confrelid::regclass::text AS target
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
      GROUP BY c.oid, c.conrelid, c.confrelid`,
  );
  const { rows: enumRows } = await client.query<{ typname: string; labels: string[] }>(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = current_schema()
      GROUP BY t.typname`,
  );

  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const modelTables = new Set(tableOf.values());
  for (const { table_name } of tableRows) {
    if (table_name !== '_prisma_migrations' && !modelTables.has(table_name)) {
      problems.push(
        `table ${table_name} exists in the database but no model in schema.prisma maps to it`,
      );
    }
  }

  for (const model of datamodel.models) {
    const table = tableOf.get(model.name)!;
    const tableColumns = new Map(
      columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]),
    );
    if (tableColumns.size === 0) {
      problems.push(`model ${model.name}: table ${table} does not exist`);
      continue;
    }
    const mapped = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === 'object') {
        const from = field.relationFromFields ?? [];
        if (from.length === 0) continue;
        const fromColumns = from
          .map((name) => model.fields.find((f) => f.name === name))
          .map((f) => f?.dbName ?? f?.name ?? '')
          .sort();
        const target = tableOf.get(field.type);
        const found = foreignKeys.some(
          (fk) =>
            fk.table_name === table &&
            fk.target === target &&
            fk.columns.join() === fromColumns.join(),
        );
        if (!found)
          problems.push(
            `${model.name}.${field.name}: no foreign key ${table}(${fromColumns}) → ${target}`,
          );
        continue;
      }
      const columnName = field.dbName ?? field.name;
      mapped.add(columnName);
      const column = tableColumns.get(columnName);
      const where = `${model.name}.${field.name} (${table}.${columnName})`;
      if (!column) {
        problems.push(`${where}: column missing`);
        continue;
      }
      const udt = expectedUdt(field, enums);
      if (column.udt_name !== udt)
        problems.push(`${where}: type is ${column.udt_name}, schema says ${udt}`);
      const nullable = column.is_nullable === 'YES';
      if (nullable === field.isRequired) {
        problems.push(
          `${where}: column is ${nullable ? 'NULL' : 'NOT NULL'}, schema says ${field.isRequired ? 'required' : 'optional'}`,
        );
      }
      const length = field.nativeType?.[1]?.[0];
      if (
        length &&
        (column.udt_name === 'varchar' || column.udt_name === 'bpchar') &&
        String(column.character_maximum_length) !== length
      ) {
        problems.push(
          `${where}: length is ${column.character_maximum_length}, schema says ${length}`,
        );
      }
      if (field.hasDefaultValue && column.column_default === null && !field.isId) {
        problems.push(`${where}: schema has a default, the column has none`);
      }
      if (
        (field.isUnique || field.isId) &&
        !uniques.some((u) => u.table_name === table && u.columns.join() === columnName)
      ) {
        problems.push(`${where}: schema says unique, the database has no unique index on it`);
      }
    }
    for (const extra of datamodel.unsupported.filter((u) => u.model === model.name)) {
      mapped.add(extra.column);
      const column = tableColumns.get(extra.column);
      if (!column)
        problems.push(`${model.name}: Unsupported column ${table}.${extra.column} missing`);
      else if (column.udt_name !== extra.type) {
        problems.push(
          `${model.name}: column ${table}.${extra.column} is ${column.udt_name}, schema says ${extra.type}`,
        );
      }
    }
    for (const columnName of tableColumns.keys()) {
      if (!mapped.has(columnName))
        problems.push(`${model.name}: column ${table}.${columnName} has no field in schema.prisma`);
    }
  }

  for (const e of datamodel.enums) {
    const name = e.dbName ?? e.name;
    const labels = enumRows.find((r) => r.typname === name)?.labels;
    const expected = e.values.map((v) => v.dbName ?? v.name);
    if (!labels) problems.push(`enum ${e.name}: type ${name} does not exist`);
    else if (labels.join() !== expected.join()) {
      problems.push(`enum ${e.name}: database has [${labels}], schema says [${expected}]`);
    }
  }
  return problems;
}
