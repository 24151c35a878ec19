import type { Server } from 'node:http';
import type { Express } from 'express';
import { answerClientErrors } from '../http/answerClientErrors.ts';
import { freePort } from './globalSetup.ts';

export interface Listening {
  base: string;
  port: number;
  close(): Promise<void>;
}

/** Serve an app on 127.0.0.1 (a given port, or a free one) until `close()`. */
export async function listen(app: Express, port?: number): Promise<Listening> {
  const chosen = port ?? (await freePort());
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(chosen, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
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
