import type { ConnectorPlugin } from '../runtime/plugin.ts';
import { fileSink } from './sinks/fileSink.ts';
import { postgresUpsertSink } from './sinks/postgresUpsertSink.ts';
import { webhookSink } from './sinks/webhookSink.ts';
import { fileDropSource } from './sources/fileDropSource.ts';
import { httpPollSource } from './sources/httpPollSource.ts';
import { kafkaTopicSource } from './sources/kafkaTopicSource.ts';
import { postgresCdcSource } from './sources/postgresCdcSource.ts';
import { postgresTableSource } from './sources/postgresTableSource.ts';

/** Every connector type this build knows, by `type`. */
export const PLUGINS: readonly ConnectorPlugin[] = [
  postgresTableSource,
  postgresCdcSource,
  httpPollSource,
  fileDropSource,
  kafkaTopicSource,
  postgresUpsertSink,
  webhookSink,
  fileSink,
];

export function findPlugin(type: string): ConnectorPlugin | undefined {
  return PLUGINS.find((plugin) => plugin.type === type);
}
