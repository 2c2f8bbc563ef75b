// Serves an app on a real loopback port for tests that need real HTTP (streams, concurrency).
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export async function listen(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
