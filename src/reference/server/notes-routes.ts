import type { RequestContext } from './http-types.js';
import { jsonBodyOf } from './json-body.js';
import type { JsonSchema } from './openapi/types.js';
import { ownerOf } from './owner.js';
import { ID_PARAM, invalidId, pathId } from './path-id.js';
import { sendEmpty, sendJson, sendProblem } from './respond.js';
import type { Router } from './router.js';

interface Note {
  id: number;
  title: string;
  body: string;
  owner: string;
  createdAt: string;
}

const TITLE: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
const BODY: JsonSchema = { type: 'string', maxLength: 10_000 };

const NOTE_SCHEMA: JsonSchema = {
  title: 'Note',
  type: 'object',
  required: ['id', 'title', 'body', 'owner', 'createdAt'],
  properties: {
    id: { ...ID_PARAM, readOnly: true },
    title: TITLE,
    body: BODY,
    owner: { type: 'string', readOnly: true, description: 'The owner of the API key that created the note.' },
    createdAt: { type: 'string', format: 'date-time', readOnly: true },
  },
};

/** Enforced by the validation part when it is on. */
const NOTE_INPUT_SCHEMA: JsonSchema = {
  title: 'NoteInput',
  type: 'object',
  additionalProperties: false,
  required: ['title', 'body'],
  properties: { title: TITLE, body: BODY },
  examples: [{ title: 'Launch checklist', body: 'Check the fuel, then the weather.' }],
};

const NOTE_PATCH_SCHEMA: JsonSchema = {
  title: 'NotePatch',
  type: 'object',
  additionalProperties: false,
  properties: { title: TITLE, body: BODY },
  examples: [{ title: 'Launch checklist (final)' }],
};

const NOTE_LIST_SCHEMA: JsonSchema = {
  title: 'NoteList',
  type: 'object',
  required: ['notes', 'count'],
  properties: { notes: { type: 'array', items: NOTE_SCHEMA }, count: { type: 'integer', minimum: 0 } },
};

/** The same answer for a note that does not exist and one of another owner: a caller learns nothing of the others. */
const NOT_FOUND = { description: 'No note of yours has this id (another owner\'s note answers the same).' };
const LOCATION = { Location: { description: 'The path of the new note.', schema: { type: 'string' }, required: true } };
const params = { id: ID_PARAM };

/** A client string as given; without the validation part a client may send anything, and it is kept as text. */
const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));

/**
 * Notes, each owned by the owner of the API key that created it (one anonymous owner without API keys). A note
 * of another owner is answered exactly as a missing one (404), so ids reveal nothing. The bola flaw never checks
 * the owner of the note an id names.
 */
export function addNoteRoutes(router: Router, flaws: ReadonlySet<string>): void {
  const notes = new Map<number, Note>();
  let nextId = 1;
  const checksOwner = !flaws.has('bola');

  /** The caller's note with the route's id, or undefined once the 400 or 404 was sent. */
  const ownNote = (ctx: RequestContext): Note | undefined => {
    const id = pathId(ctx, 'note');
    if (id === undefined) return undefined;
    const note = notes.get(id);
    if (note && (!checksOwner || note.owner === ownerOf(ctx))) return note;
    sendProblem(ctx.res, 404, 'Note not found', `no note with id ${id}`);
    return undefined;
  };

  router
    .add('GET', '/api/notes', (ctx) => {
      const owner = ownerOf(ctx);
      const own = [...notes.values()].filter((n) => n.owner === owner);
      sendJson(ctx.res, 200, { notes: own, count: own.length });
    }, {
      scopes: ['notes:read'],
      operationId: 'listNotes',
      tag: 'notes',
      summary: 'List your notes',
      responses: { 200: { description: "The caller's notes (only theirs), oldest first.", schema: NOTE_LIST_SCHEMA } },
    })
    .add('POST', '/api/notes', async (ctx) => {
      const body = await jsonBodyOf(ctx);
      if (!body) return;
      const note: Note = { id: nextId++, title: text(body.title), body: text(body.body), owner: ownerOf(ctx), createdAt: new Date().toISOString() };
      notes.set(note.id, note);
      sendJson(ctx.res, 201, note, { location: `/api/notes/${note.id}` });
    }, {
      scopes: ['notes:write'],
      body: NOTE_INPUT_SCHEMA,
      operationId: 'createNote',
      tag: 'notes',
      summary: 'Create a note, owned by the owner of your key',
      responses: { 201: { description: 'The new note.', schema: NOTE_SCHEMA, headers: LOCATION } },
    })
    .add('GET', '/api/notes/:id', (ctx) => {
      const note = ownNote(ctx);
      if (note) sendJson(ctx.res, 200, note);
    }, {
      scopes: ['notes:read'],
      operationId: 'getNote',
      tag: 'notes',
      summary: 'Read one of your notes',
      params,
      responses: { 200: { description: 'The note.', schema: NOTE_SCHEMA }, 400: invalidId('note'), 404: NOT_FOUND },
    })
    .add('PATCH', '/api/notes/:id', async (ctx) => {
      const note = ownNote(ctx);
      if (!note) return;
      const body = await jsonBodyOf(ctx);
      if (!body) return;
      if (body.title !== undefined) note.title = text(body.title);
      if (body.body !== undefined) note.body = text(body.body);
      sendJson(ctx.res, 200, note);
    }, {
      scopes: ['notes:write'],
      body: NOTE_PATCH_SCHEMA,
      operationId: 'updateNote',
      tag: 'notes',
      summary: 'Change the title or body of one of your notes',
      params,
      responses: { 200: { description: 'The note as stored now.', schema: NOTE_SCHEMA }, 400: invalidId('note'), 404: NOT_FOUND },
    })
    .add('DELETE', '/api/notes/:id', (ctx) => {
      const note = ownNote(ctx);
      if (!note) return;
      notes.delete(note.id);
      sendEmpty(ctx.res, 204);
    }, {
      scopes: ['notes:write'],
      operationId: 'deleteNote',
      tag: 'notes',
      summary: 'Delete one of your notes',
      params,
      responses: { 204: { description: 'Deleted.' }, 400: invalidId('note'), 404: NOT_FOUND },
    });
}
