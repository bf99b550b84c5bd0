import { describe, expect, it } from 'vitest';
import { judgeDelete, judgeRead, judgeUpdate } from '../../src/checks/bola/judge.js';
import { comparisonFor, differences } from '../../src/checks/objects/changes.js';

const refused = [403, 404];
const attempt = (method: string, status: number) => ({ line: `${method} /api/notes/7`, method, status });

describe('bola judging', () => {
  it('read: a refusal passes; a 2xx is a read of another owner’s object; a 401 says nothing about objects', () => {
    expect(judgeRead(attempt('GET', 404), refused)).toMatchObject({ status: 'passed' });
    expect(judgeRead(attempt('GET', 200), refused)).toMatchObject({ status: 'failed', message: "the intruder's GET /api/notes/7 was answered 200 (expected 403 or 404): another owner's object was read" });
    expect(judgeRead(attempt('GET', 500), refused)).toMatchObject({ status: 'failed', message: "the intruder's GET /api/notes/7 was answered 500, not 403 or 404" });
    expect(judgeRead(attempt('GET', 401), refused).status).toBe('errored');
    expect(judgeRead(attempt('GET', 401), refused).message).toMatch(/its credentials were not accepted at all.*\[E_PRECONDITION\]$/);
    expect(judgeRead(attempt('GET', 401), [401, 403, 404]).status).toBe('passed');
  });

  it('update: refused and unchanged passes; a change the owner reads fails, even behind a refusal', () => {
    expect(judgeUpdate(attempt('PATCH', 403), { status: 200, changes: [] }, refused).status).toBe('passed');
    expect(judgeUpdate(attempt('PATCH', 200), { status: 200, changes: ['title: "x" (was "y")'] }, refused).message).toBe(
      `the intruder's PATCH /api/notes/7 was answered 200 and the owner's next read shows title: "x" (was "y"): another owner's object was changed`,
    );
    expect(judgeUpdate(attempt('PATCH', 403), { status: 200, changes: ['title: "x" (was "y")'] }, refused).message).toBe(
      `the intruder's PATCH /api/notes/7 was answered 403, but the owner's next read shows title: "x" (was "y"): the object was changed all the same`,
    );
    expect(judgeUpdate(attempt('PATCH', 200), { status: 200, changes: [] }, refused)).toMatchObject({ status: 'failed', message: "the intruder's PATCH /api/notes/7 was answered 200, not 403 or 404 (the owner's next read shows the object unchanged)" });
    expect(judgeUpdate(attempt('PATCH', 403), { status: 500 }, refused)).toMatchObject({ status: 'errored', message: "the intruder's PATCH /api/notes/7 was answered 403, and the owner's next read was answered 500: cannot tell whether the object changed [E_PRECONDITION]" });
    expect(judgeUpdate(attempt('PATCH', 200), { failure: 'timeout: no answer' }, refused).status).toBe('failed');
  });

  it('delete: the owner must still find the object; gone after a 2xx, or after a refusal, fails', () => {
    expect(judgeDelete(attempt('DELETE', 404), { status: 200 }, refused).status).toBe('passed');
    expect(judgeDelete(attempt('DELETE', 204), { status: 404 }, refused).message).toBe("the intruder's DELETE /api/notes/7 was answered 204 and the owner's next read was 404: another owner's object was deleted");
    expect(judgeDelete(attempt('DELETE', 403), { status: 410 }, refused).message).toBe("the intruder's DELETE /api/notes/7 was answered 403, but the owner's next read was 410: the object was deleted all the same");
    expect(judgeDelete(attempt('DELETE', 204), { status: 200 }, refused)).toMatchObject({ status: 'failed', message: "the intruder's DELETE /api/notes/7 was answered 204, not 403 or 404 (the owner's next read still finds the object)" });
    expect(judgeDelete(attempt('DELETE', 403), { failure: 'reset: socket hang up' }, refused)).toMatchObject({ status: 'errored' });
    expect(judgeDelete(attempt('DELETE', 403), { failure: 'reset: socket hang up' }, refused).message).toContain('got no answer (reset: socket hang up)');
  });

  it('compares the properties the update sets, or the whole object when it sets nothing the read shows', () => {
    const before = { id: 7, title: 'mine', views: 1 };
    const comparison = comparisonFor({ title: 'changed' }, before);
    expect(comparison).toEqual({ properties: ['title'], blind: false });
    // A counter that moves between reads is no change the intruder made.
    expect(differences(before, { id: 7, title: 'mine', views: 2 }, comparison)).toEqual([]);
    expect(differences(before, { id: 7, title: 'changed', views: 2 }, comparison)).toEqual(['title: "changed" (was "mine")']);
    expect(comparisonFor({ title: 'mine' }, before).blind).toBe(true);
    const whole = comparisonFor({ secret: 'x' }, before);
    expect(differences(before, { ...before, views: 2 }, whole)).toEqual(['the object reads {"id":7,"title":"mine","views":2} (was {"id":7,"title":"mine","views":1})']);
    expect(differences('text before', 'text after', comparisonFor(undefined, 'text before'))).toEqual(['the object reads "text after" (was "text before")']);
  });

  it('compares values nested deeper than it may recurse without overflowing', () => {
    const deep = (leaf: number) => JSON.parse(`${'{"a":'.repeat(100_000)}${leaf}${'}'.repeat(100_000)}`);
    expect(differences({ t: deep(1) }, { t: deep(1) }, comparisonFor({ t: 0 }, { t: 1 }))).toEqual([]);
  });
});
