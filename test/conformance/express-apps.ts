import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** The keys the app knows, as an app keeps them in its database; the values stand for what a profile holds. */
export const APP_KEYS = {
  valid: 'ak_live_4f7a1c9e2b8d6035a1e7',
  reader: 'ak_live_9b3e5d1f7a2c8e4061b2',
  revoked: 'ak_live_2c8e4a6b0d9f1e3573c4',
  expired: 'ak_live_7d1f3b5a9e2c4d6087e5',
} as const;

interface KeyRecord {
  scopes: string[];
  revoked?: boolean;
  expiresAt?: number;
}

const RECORDS = new Map<string, KeyRecord>([
  [APP_KEYS.valid, { scopes: ['users:read', 'users:write'] }],
  [APP_KEYS.reader, { scopes: ['reports:read'] }],
  [APP_KEYS.revoked, { scopes: ['users:read'], revoked: true }],
  [APP_KEYS.expired, { scopes: ['users:read'], expiresAt: Date.parse('2020-01-01T00:00:00Z') }],
]);

/**
 * The API-key middleware most Express tutorials and many production apps hand-write: a missing or bad key gets
 * `res.status(401).json(...)` and nothing else (no WWW-Authenticate), a key without the route's scope a 403.
 * `refuse` changes the status of the refusals, as apps that answer every auth failure with 403 (or a gateway's 400) do.
 */
function apiKeyAuth(refuse: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('x-api-key');
    if (!key) return void res.status(refuse).json({ error: 'API key required' });
    const record = RECORDS.get(key);
    if (!record || record.revoked || (record.expiresAt !== undefined && record.expiresAt < Date.now())) {
      return void res.status(refuse).json({ error: 'Invalid API key' });
    }
    res.locals.scopes = record.scopes;
    next();
  };
}

const requireScope = (scope: string) => (_req: Request, res: Response, next: NextFunction) =>
  (res.locals.scopes as string[]).includes(scope) ? next() : void res.status(403).json({ error: 'insufficient scope', required: scope });

/** Express 5, optionally behind helmet() with its defaults, with the hand-written key middleware on /api. */
export function expressApi(options: { helmet?: boolean; refuse?: number } = {}): Express {
  const app = express();
  if (options.helmet) app.use(helmet());
  app.use('/api', apiKeyAuth(options.refuse ?? 401));
  app.get('/api/users/:id', requireScope('users:read'), (req, res) => void res.json({ id: Number(req.params.id), name: 'Ada Lovelace' }));
  app.get('/api/data', (_req, res) => void res.json({ data: [1, 2, 3] }));
  return app;
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Serves the app over HTTPS (as it would be deployed) on a free loopback port. */
export async function listenHttps(app: Express, tls: { key: string; cert: string }): Promise<Listening> {
  const server: Server = createHttpsServer(tls, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
