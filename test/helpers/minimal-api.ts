import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** The key the minimal API knows. */
export const MINIMAL_API_KEY = 'mk_live_7c1e9a3f5b2d8e4a6c0f';

export interface MinimalApi {
  url: string;
  close(): Promise<void>;
}

/**
 * The API a new user might write in an afternoon, as Express and helmet tutorials have it: a public health route,
 * items behind an X-API-Key check that answers 401 with a challenge, JSON errors without stack traces, on plain HTTP.
 */
export async function startMinimalApi(): Promise<MinimalApi> {
  const app = express();
  app.use(helmet());
  app.use(express.json({ limit: '64kb' }));
  const items = new Map<number, { id: number; name: string }>([[1, { id: 1, name: 'first' }]]);
  let nextId = 2;
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('x-api-key');
    if (key !== MINIMAL_API_KEY) return void res.status(401).set('WWW-Authenticate', 'ApiKey realm="items"').json({ error: key ? 'invalid key' : 'key required' });
    next();
  });
  app.get('/api/items', (_req, res) => void res.set('Cache-Control', 'no-store').json([...items.values()]));
  app.post('/api/items', (req, res) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || !name) return void res.status(400).json({ error: 'name is required' });
    const item = { id: nextId++, name };
    items.set(item.id, item);
    res.status(201).set('Cache-Control', 'no-store').json(item);
  });
  app.use((_req: Request, res: Response) => void res.status(404).json({ error: 'not found' }));
  // Express's default handler prints the stack in development: a careful API answers errors itself.
  app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => void res.status(error.status && error.status < 500 ? error.status : 500).json({ error: 'bad request' }));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
