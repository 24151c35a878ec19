import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type Server } from 'node:http';
import { listenApp } from './createAppServer.ts';

let server: Server;
let base: string;
const seen: { requestIsApps?: boolean; responseIsApps?: boolean; appIsApp?: boolean } = {};

beforeAll(async () => {
  const app = express();
  app.get('/things/:id', (req, res) => {
    seen.requestIsApps = Object.getPrototypeOf(req) === app.request;
    seen.responseIsApps = Object.getPrototypeOf(res) === app.response;
    seen.appIsApp = req.app === app && res.app === app;
    res
      .status(201)
      .set('X-Seen', req.get('x-asked') ?? '')
      .json({ id: req.params.id, q: req.query.q, host: req.hostname });
  });
  server = await listenApp(app, 0, '127.0.0.1');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createAppServer', () => {
  it('serves an Express app with requests and responses born with its prototypes', async () => {
    const res = await fetch(`${base}/things/7?q=甲`, { headers: { 'X-Asked': 'yes' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('yes');
    expect(await res.json()).toEqual({ id: '7', q: '甲', host: '127.0.0.1' });
    expect(seen).toEqual({ requestIsApps: true, responseIsApps: true, appIsApp: true });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });

  it('keeps an idle keep-alive connection past the 5 s Node default, so a client reusing it is served', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; localPort: number }>((resolve, reject) => {
        http
          .get(`${base}/things/1`, { agent }, (res) => {
            // the socket goes back to the agent once the body has been read
            const localPort = res.socket.localPort!;
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, localPort }));
          })
          .on('error', reject);
      });
    try {
      const first = await get();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      const second = await get();
      expect(second).toEqual({ status: 201, localPort: first.localPort });
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('rejects when the port is taken', async () => {
    const port = (server.address() as { port: number }).port;
    await expect(listenApp(express(), port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });
});
