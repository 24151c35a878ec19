import http from 'node:http';
import type { Express } from 'express';

/**
 * An HTTP server for an Express app whose requests and responses are born with the app's
 * prototypes.
 *
 * Express re-parents every request and response it handles with `Object.setPrototypeOf(req,
 * app.request)` (and the same for `res`). V8 pays for that on every request: the objects change
 * shape, property access on them goes through slow paths, and they and all they reference
 * survive the next scavenges and are promoted to the old generation. Measured on a small app
 * shaped like our services (session 7, bench/RESULTS.md §recordsGetByKey): 158–165 µs of CPU
 * per request, ≈ 2.7 MB promoted and ≈ 3.9 ms pause per scavenge; with this server 61 µs,
 * 0.01 MB and 0.7 ms.
 *
 * How: classes that extend Node's `IncomingMessage` and `ServerResponse`, whose prototypes
 * inherit Express's request and response methods and carry what Express put on `app.request`
 * and `app.response` (`app`), become the server's classes and the app's `request` and
 * `response`. Express's `setPrototypeOf` then finds the prototype already in place and changes
 * nothing. Sub-apps mounted with `app.use(subApp)` would still re-parent; the services mount
 * routers only. ADR 0011.
 */
/**
 * How long an idle keep-alive connection stays open. Node's default, 5 s, is shorter than the
 * idle timeouts of the clients and proxies in front of us (nginx keeps upstream connections 60 s;
 * Node's own agent keeps free sockets until the server closes them), so a client that reuses a
 * connection just as the server closes it gets ECONNRESET on a request that never arrived. The
 * server must be the side that waits longer; 65 s outlasts a 60 s proxy. A shutdown
 * (`server.close()`) still closes idle connections at once.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createAppServer(app: Express): http.Server {
  class AppRequest extends http.IncomingMessage {}
  class AppResponse extends http.ServerResponse {}
  adopt(AppRequest.prototype, app.request);
  adopt(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype as unknown as Express['request'];
  app.response = AppResponse.prototype as unknown as Express['response'];
  const server = http.createServer(
    { IncomingMessage: AppRequest, ServerResponse: AppResponse },
    app,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}

/** Make `target` stand in for Express's `current`: same parent, same own properties. */
function adopt(target: object, current: object): void {
  Object.setPrototypeOf(target, Object.getPrototypeOf(current) as object);
  Object.defineProperties(target, Object.getOwnPropertyDescriptors(current));
}

/** `createAppServer(app)` listening on `port` and `host`; rejects if it cannot listen. */
export function listenApp(app: Express, port: number, host: string): Promise<http.Server> {
  const server = createAppServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
