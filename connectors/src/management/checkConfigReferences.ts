import type pg from 'pg';
import { GRANT_STATUS_TEXT } from '@gx/exchange-api';
import type { FieldProblem } from '@gx/platform';
import type { ConnectorConfig } from './connectorConfig.ts';

/** The rows a valid configuration points at, for the `connectors` columns. */
export interface ConfigReferences {
  departmentId: string;
  resourceId: string | null;
  grantId: string | null;
}

/** a source's deletion marker field (ADR 0012), when its options have one */
function markerField(options: Record<string, unknown>): string | undefined {
  const marker = options.deleteMarker;
  if (typeof marker !== 'object' || marker === null) return undefined;
  const field = (marker as { field?: unknown }).field;
  return typeof field === 'string' ? field : undefined;
}

/**
 * Check what a configuration names against the directory and the grants: the department
 * exists; a source's resource is one the department provides, with a published record schema
 * and not retired (an entry under revision keeps its schema, and its connectors their configs);
 * a source's deletion marker is not one of that resource's fields (ADR 0012: it is dropped from
 * every record); a sink's grant is active, to the department, and delivers by subscription. A resource or
 * grant that does not exist and one of another department get the same message, so a caller
 * cannot probe other departments' ids.
 */
export async function checkConfigReferences(
  pool: pg.Pool,
  config: ConnectorConfig,
  kind: 'source' | 'sink',
): Promise<{ problems: FieldProblem[]; references?: ConfigReferences }> {
  // only what the kind uses: the other field, if given, is the shape check's problem
  const resource = kind === 'source' ? config.resource : undefined;
  const grant = kind === 'sink' ? config.grant : undefined;
  const { rows } = await pool.query<{
    department_id: string | null;
    resource_id: string | null;
    resource_provider: string | null;
    resource_status: string | null;
    schema_version: number | null;
    schema_fields: string[] | null;
    grant_id: string | null;
    grant_consumer: string | null;
    grant_status: string | null;
    grant_expired: boolean | null;
    delivery_modes: string[] | null;
  }>(
    `SELECT d.id AS department_id,
            r.id AS resource_id, rp.code AS resource_provider, r.status::text AS resource_status,
            r.schema_version,
            (SELECT array(SELECT jsonb_object_keys(v.json_schema -> 'properties'))
               FROM resource_schema_versions v WHERE v.resource_id = r.id
              ORDER BY v.version DESC LIMIT 1) AS schema_fields,
            g.id AS grant_id, gc.code AS grant_consumer, g.status::text AS grant_status,
            (g.valid_until IS NOT NULL AND g.valid_until <= now()) AS grant_expired,
            g.delivery_modes
       FROM (SELECT 1) AS one
       LEFT JOIN departments d ON d.code = $1
       LEFT JOIN resources r ON r.code = $2
       LEFT JOIN departments rp ON rp.id = r.provider_id
       LEFT JOIN grants g ON g.id = $3::uuid
       LEFT JOIN departments gc ON gc.id = g.consumer_id`,
    [config.department, resource ?? null, grant ?? null],
  );
  const row = rows[0]!;
  const problems: FieldProblem[] = [];
  if (row.department_id === null) {
    problems.push({ path: '/department', message: `部门 ${config.department} 不存在` });
  }
  if (resource !== undefined) {
    if (row.resource_id === null || row.resource_provider !== config.department) {
      problems.push({
        path: '/resource',
        message: `信息资源 ${resource} 不存在或不由部门 ${config.department} 提供`,
      });
    } else if ((row.schema_version ?? 0) < 1) {
      problems.push({
        path: '/resource',
        message: `信息资源 ${resource} 尚未发布记录结构，不能接收数据`,
      });
    } else if (row.resource_status === 'retired') {
      problems.push({ path: '/resource', message: `信息资源 ${resource} 已停用，不能接收数据` });
    } else {
      const marker = markerField(config.options);
      if (marker !== undefined && (row.schema_fields ?? []).includes(marker)) {
        problems.push({
          path: '/options/deleteMarker/field',
          message: `删除标记字段 ${marker} 是信息资源 ${resource} 的数据项；标记字段不随记录输出，请使用来源系统中另外约定的字段`,
        });
      }
    }
  }
  if (grant !== undefined) {
    if (row.grant_id === null || row.grant_consumer !== config.department) {
      problems.push({
        path: '/grant',
        message: `共享授权 ${grant} 不存在或其使用方不是部门 ${config.department}`,
      });
    } else if (row.grant_status !== 'active' || row.grant_expired) {
      const status = row.grant_expired
        ? GRANT_STATUS_TEXT.expired
        : (GRANT_STATUS_TEXT[row.grant_status ?? ''] ?? '');
      problems.push({
        path: '/grant',
        message: `共享授权 ${grant} 当前不是有效状态（${status}）`,
      });
    } else if (!(row.delivery_modes ?? []).includes('subscription')) {
      problems.push({
        path: '/grant',
        message: `共享授权 ${grant} 不包含订阅（subscription）交付方式`,
      });
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    references: {
      departmentId: row.department_id!,
      resourceId: resource === undefined ? null : row.resource_id,
      grantId: grant === undefined ? null : row.grant_id,
    },
  };
}
