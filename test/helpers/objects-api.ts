import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from './servers.js';

/**
 * A small API of owned objects, correct by default, with named flaws:
 * - notes (POST /api/notes, GET/PATCH/DELETE /api/notes/:id): only their owner reaches them (404 to anyone else);
 *   `bola-read`, `bola-update`, `bola-delete`: any valid key reaches any note that way.
 * - users (POST /api/users by anyone, GET /api/users/:id by its owner or the admin, DELETE by the admin only, 403
 *   otherwise): `bfla`: any valid key deletes; `method-override`: a POST carrying X-HTTP-Method-Override is
 *   authorised as a POST and then served as the method it names.
 * - accounts (POST /api/accounts, GET/PATCH/DELETE /api/accounts/:id by their owner): `role` and `verified` are
 *   the server's to set; `mass-assignment`: they are stored from the client's body; `exposure`: reads carry the
 *   account's passwordHash.
 */
export type ObjectsFlaw = 'bola-read' | 'bola-update' | 'bola-delete' | 'bfla' | 'method-override' | 'mass-assignment' | 'exposure' | 'refuses-id';

export const OBJECT_KEYS = { owner: 'sk_owner_0123456789abcdef', 'other-owner': 'sk_other_0123456789abcdef', admin: 'sk_admin_0123456789abcdef' } as const;

type Stored = { owner: string; fields: Record<string, unknown> };

export interface ObjectsApi extends TestServer {
  /** The objects stored now, by collection: what the checks left behind. */
  stored(collection: 'notes' | 'users' | 'accounts'): Record<string, unknown>[];
  /** Every request as `<key name> <METHOD> <path>`, override headers shown. */
  log: string[];
}

export async function startObjectsApi(flaws: ObjectsFlaw[] = []): Promise<ObjectsApi> {
  const has = (flaw: ObjectsFlaw) => flaws.includes(flaw);
  const collections = { notes: new Map<string, Stored>(), users: new Map<string, Stored>(), accounts: new Map<string, Stored>() };
  let nextId = 1;
  const log: string[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const send = (status: number, json?: unknown) => res.writeHead(status, json === undefined ? {} : { 'content-type': 'application/json' }).end(json === undefined ? undefined : JSON.stringify(json));
    const keyName = Object.entries(OBJECT_KEYS).find(([, value]) => value === req.headers['x-api-key'])?.[0];
    const override = req.headers['x-http-method-override'];
    log.push(`${keyName ?? 'none'} ${req.method} ${req.url}${override ? ` (override ${override})` : ''}`);
    if (!keyName) return send(401, { error: 'unauthenticated' });
    const match = /^\/api\/(notes|users|accounts)(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match) return send(404, { error: 'not found' });
    const collection = collections[match[1] as keyof typeof collections];
    const kind = match[1]!;
    const id = match[2];
    const overridden = has('method-override') && req.method === 'POST' && typeof override === 'string';
    const method = overridden ? (override as string).toUpperCase() : req.method;
    const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;

    // Not a flaw: a server that refuses a client-sent id outright (as strict validation does), whatever else it stores.
    if (has('refuses-id') && kind === 'accounts' && 'id' in fields) return send(400, { error: 'id is read-only' });
    if (id === undefined) {
      if (method !== 'POST') return send(405);
      const newId = String(nextId++);
      const stored: Record<string, unknown> = { id: newId };
      if (kind === 'notes') stored.title = fields.title;
      if (kind === 'users') Object.assign(stored, { name: fields.name, role: 'user' });
      if (kind === 'accounts') {
        Object.assign(stored, { name: fields.name, email: fields.email, role: 'member', verified: false });
        if (has('mass-assignment')) for (const name of ['role', 'verified'] as const) if (name in fields) stored[name] = fields[name];
      }
      collection.set(newId, { owner: keyName, fields: stored });
      return send(201, stored);
    }
    const object = collection.get(id);
    const isOwner = object?.owner === keyName;
    const shown = (o: Stored) => (kind === 'accounts' && has('exposure') ? { ...o.fields, passwordHash: '$2b$10$abcdefghijklmnopqrstuv' } : o.fields);

    if (kind === 'notes') {
      const flaw = ({ GET: 'bola-read', PATCH: 'bola-update', DELETE: 'bola-delete' } as const)[method as 'GET'];
      if (!flaw) return send(405);
      if (!object || !(isOwner || has(flaw))) return send(404, { error: 'not found' });
      if (method === 'GET') return send(200, object.fields);
      if (method === 'PATCH') {
        if ('title' in fields) object.fields.title = fields.title;
        return send(200, object.fields);
      }
      collection.delete(id);
      return send(204);
    }
    if (kind === 'users') {
      if (method === 'GET') return object && (isOwner || keyName === 'admin') ? send(200, object.fields) : send(404, { error: 'not found' });
      if (method !== 'DELETE') return send(405);
      if (keyName !== 'admin' && !has('bfla') && !overridden) return send(403, { error: 'admin only' });
      if (!object) return send(404, { error: 'not found' });
      collection.delete(id);
      return send(204);
    }
    if (!object || !isOwner) return send(404, { error: 'not found' });
    if (method === 'GET') return send(200, shown(object));
    if (method === 'PATCH') {
      for (const name of ['name', 'email'] as const) if (name in fields) object.fields[name] = fields[name];
      if (has('mass-assignment')) for (const name of ['role', 'verified'] as const) if (name in fields) object.fields[name] = fields[name];
      return send(200, shown(object));
    }
    if (method === 'DELETE') {
      collection.delete(id);
      return send(204);
    }
    return send(405);
  };

  const server = await startTestServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return res.writeHead(400).end();
      }
      handle(req, res, body);
    });
  });
  return {
    ...server,
    log,
    stored: (collection) => [...collections[collection].values()].map((o) => o.fields),
  };
}

/** A profile for the API: the owner's key by default, the other owner's and the admin's by name. */
export function objectsProfile(target: string, extra = ''): string {
  return `target: ${target}
keys:
  owner: \${env:OBJECTS_OWNER_KEY}
  other-owner: \${env:OBJECTS_OTHER_KEY}
  admin: \${env:OBJECTS_ADMIN_KEY}
defaults: { key: owner }
${extra}`;
}

export const OBJECTS_ENV = { OBJECTS_OWNER_KEY: OBJECT_KEYS.owner, OBJECTS_OTHER_KEY: OBJECT_KEYS['other-owner'], OBJECTS_ADMIN_KEY: OBJECT_KEYS.admin };
