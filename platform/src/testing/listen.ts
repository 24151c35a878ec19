import type { Express } from 'express';
import { answerClientErrors } from '../http/answerClientErrors.ts';
import { listenApp } from '../http/createAppServer.ts';
import { freePort } from './globalSetup.ts';

export interface Listening {
  base: string;
  port: number;
  close(): Promise<void>;
}

/** Serve an app on 127.0.0.1 (a given port, or a free one) until `close()`. */
export async function listen(app: Express, port?: number): Promise<Listening> {
  const chosen = port ?? (await freePort());
  const server = await listenApp(app, chosen, '127.0.0.1');
  answerClientErrors(server);
  return {
    base: `http://127.0.0.1:${chosen}`,
    port: chosen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
