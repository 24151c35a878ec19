import type { PrismaClient } from '@gx/migrations';
import { NotFoundError, type Actor } from '@gx/platform';
import { loadVisibleResource } from './loadResource.ts';
import {
  compareRecordSchemas,
  generateRecordSchema,
  sameRecordShape,
  type RecordJsonSchema,
} from './recordSchema.ts';
import { resourceView, toResourceInput } from './resourceView.ts';
import { staffNames } from './staffNames.ts';

function versionView(
  v: {
    version: number;
    compatibility: string;
    changes: unknown;
    createdBy: string;
    createdAt: Date;
    jsonSchema: unknown;
  },
  names: ReadonlyMap<string, string>,
) {
  return {
    version: v.version,
    compatibility: v.compatibility,
    changes: v.changes,
    createdBy: v.createdBy,
    createdByName: names.get(v.createdBy) ?? null,
    createdAt: v.createdAt.toISOString(),
    jsonSchema: v.jsonSchema,
  };
}

export async function listSchemaVersions({
  prisma,
  actor,
  code,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
}) {
  const resource = await loadVisibleResource(prisma, actor, code);
  const versions = await prisma.resourceSchemaVersion.findMany({
    where: { resourceId: resource.id },
    orderBy: { version: 'asc' },
  });
  const names = await staffNames(
    prisma,
    actor,
    versions.map((v) => v.createdBy),
  );
  return versions.map((v) => versionView(v, names));
}

export async function getSchemaVersion({
  prisma,
  actor,
  code,
  version,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  version: number;
}) {
  const resource = await loadVisibleResource(prisma, actor, code);
  const found = await prisma.resourceSchemaVersion.findUnique({
    where: { resourceId_version: { resourceId: resource.id, version } },
  });
  if (!found) throw new NotFoundError(`资源 ${code} 没有第 ${version} 版记录结构`);
  return versionView(found, await staffNames(prisma, actor, [found.createdBy]));
}

/**
 * The record schema the entry's current items would publish, and how it compares with the last
 * published one — what a steward sees before submitting.
 */
export async function previewRecordSchema({
  prisma,
  actor,
  code,
}: {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
}) {
  const resource = await loadVisibleResource(prisma, actor, code);
  const latest = await prisma.resourceSchemaVersion.findFirst({
    where: { resourceId: resource.id },
    orderBy: { version: 'desc' },
  });
  const input = toResourceInput(resourceView(resource));
  const previous = latest?.jsonSchema as RecordJsonSchema | undefined;
  const unchanged = previous
    ? sameRecordShape(
        previous,
        generateRecordSchema(resource.code, resource.name, latest!.version, input.items),
      )
    : false;
  const nextVersion = unchanged ? latest!.version : (latest?.version ?? 0) + 1;
  const jsonSchema = generateRecordSchema(resource.code, resource.name, nextVersion, input.items);
  const comparison = previous
    ? compareRecordSchemas(previous, jsonSchema)
    : { compatibility: 'initial' as const, changes: [] };
  return {
    basedOnVersion: latest?.version ?? null,
    version: nextVersion,
    unchanged,
    compatibility: unchanged ? ('compatible' as const) : comparison.compatibility,
    changes: comparison.changes,
    jsonSchema,
  };
}
