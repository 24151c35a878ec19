import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '@gx/platform';
import { jsonSchemaPath } from '@gx/schemas';
import type { ConnectorPlugin } from '../runtime/plugin.ts';
import { problemsFromAjv } from './ajvProblems.ts';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_POLL_INTERVAL_MS,
  type ConnectorConfig,
} from './connectorConfig.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const readSchema = (name: string) =>
  JSON.parse(readFileSync(jsonSchemaPath('connectors', name), 'utf8')) as object;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ConfigShape {
  /** every problem, as JSON pointers into the configuration; valid when there are none */
  problems: FieldProblem[];
  /**
   * once the envelope is valid and the type known (the options may still be wrong): the
   * configuration with its defaults filled in
   */
  config?: ConnectorConfig;
  plugin?: ConnectorPlugin;
}

export interface ConfigValidator {
  /** the checks that need no database: the envelope, the type, the plugin's options, the kind */
  check(input: unknown): ConfigShape;
  /**
   * a position for a source of `type` against its plugin's `positionSchema`, problems under
   * `/position`
   */
  checkPosition(type: string, position: unknown): FieldProblem[];
}

/**
 * Compiles the connector envelope and every plugin's options schema into one ajv instance, so
 * a broken plugin schema stops the service at boot, not at the first request. One instance
 * per app: plugin schemas may carry an `$id`, which ajv accepts only once per instance.
 */
export function createConfigValidator(plugins: readonly ConnectorPlugin[]): ConfigValidator {
  // verbose: each error carries its schema, whose examples word a pattern's message
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  ajv.addSchema(readSchema('secret-ref'));
  ajv.addSchema(readSchema('delete-marker'));
  const envelope = ajv.compile(readSchema('connector'));
  const options = new Map<string, { plugin: ConnectorPlugin; validate: ValidateFunction }>();
  const positions = new Map<string, ValidateFunction>();
  for (const plugin of plugins) {
    if (options.has(plugin.type)) throw new Error(`two connector plugins of type ${plugin.type}`);
    options.set(plugin.type, { plugin, validate: ajv.compile(plugin.optionsSchema) });
    if (plugin.kind === 'source') positions.set(plugin.type, ajv.compile(plugin.positionSchema));
  }

  return {
    checkPosition(type, position) {
      const validate = positions.get(type);
      if (!validate) return [{ path: '/position', message: `类型 ${type} 的连接器没有位点` }];
      return validate(position) ? [] : problemsFromAjv(validate.errors, '/position');
    },
    check(input) {
      const isEnvelope = envelope(input);
      const envelopeProblems = isEnvelope ? [] : problemsFromAjv(envelope.errors);
      const config = input as ConnectorConfig;
      const type = isObject(input) && typeof input.type === 'string' ? input.type : undefined;
      const entry = type === undefined ? undefined : options.get(type);
      if (!entry) {
        // a type of the right shape that no plugin has (a malformed one has its own problem)
        const isUnknown = type !== undefined && !envelopeProblems.some((p) => p.path === '/type');
        return {
          problems: isUnknown
            ? [...envelopeProblems, { path: '/type', message: `没有类型为 ${type} 的连接器插件` }]
            : envelopeProblems,
        };
      }
      // a wrong envelope field does not hide the options' problems: all are listed at once
      if (!isEnvelope && !isObject(config.options)) return { problems: envelopeProblems };
      const problems = [...envelopeProblems];
      problems.push(
        ...(entry.validate(config.options)
          ? (entry.plugin.checkOptions?.(config.options) ?? []).map((problem) => ({
              ...problem,
              path: `/options${problem.path}`,
            }))
          : problemsFromAjv(entry.validate.errors, '/options')),
      );
      if (!isEnvelope) return { problems };
      const { kind } = entry.plugin;
      if (kind === 'source') {
        if (config.resource === undefined)
          problems.push({ path: '/resource', message: '来源连接器须指定信息资源代码' });
        if (config.grant !== undefined)
          problems.push({ path: '/grant', message: '来源连接器不使用共享授权' });
        if (config.initialLoad !== undefined)
          problems.push({
            path: '/initialLoad',
            message: '存量同步只适用于目标连接器',
          });
      } else {
        if (config.grant === undefined)
          problems.push({ path: '/grant', message: '目标连接器须指定共享授权' });
        if (config.resource !== undefined)
          problems.push({
            path: '/resource',
            message: '目标连接器不指定信息资源，数据来自共享授权',
          });
      }
      return {
        problems,
        plugin: entry.plugin,
        config: {
          ...config,
          batchSize: config.batchSize ?? DEFAULT_BATCH_SIZE,
          pollIntervalMs: config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        },
      };
    },
  };
}
