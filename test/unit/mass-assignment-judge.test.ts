import { describe, expect, it } from 'vitest';
import { judgeDeclared, judgeStored } from '../../src/checks/mass-assignment/judge.js';

const what = 'the create POST /api/users with role was answered 201';

describe('mass-assignment judging', () => {
  it('fails a property stored with the injected value, passes one the server set itself', () => {
    expect(judgeStored(what, { role: 'admin' }, { role: 'user' }, { role: 'admin' })).toMatchObject({
      status: 'failed',
      message: `${what}, and the follow-up read shows role: "admin": a property the client must not set was stored`,
    });
    expect(judgeStored(what, { role: 'admin' }, { role: 'user' }, { role: 'user' })).toMatchObject({ status: 'passed', notes: [] });
    // Not shown at all is not stored, as far as the client can tell.
    expect(judgeStored(what, { isAdmin: true }, {}, { name: 'Ada' }).status).toBe('passed');
  });

  it('does not judge a property a plain create already stores with that value, and errs when none is left', () => {
    const partly = judgeStored(what, { role: 'admin', verified: false }, { role: 'user', verified: false }, { role: 'user', verified: false });
    expect(partly).toMatchObject({ status: 'passed', notes: ['not judged: a plain create already stores verified: false'] });
    expect(partly.assertions.map((a) => a.name)).toEqual(['role is not stored']);
    expect(judgeStored(what, { verified: false }, { verified: false }, { verified: false })).toMatchObject({
      status: 'errored',
      message: 'a plain create already stores every injected value (verified: false): inject values that differ [E_PRECONDITION]',
    });
  });

  it('lists the properties a read returns beyond those declared, a bounded number of them', () => {
    expect(judgeDeclared('GET /api/users/1', { id: 1, name: 'Ada' }, ['id', 'name', 'email']).status).toBe('passed');
    expect(judgeDeclared('GET /api/users/1', { id: 1, passwordHash: 'x', ssn: 'y' }, ['id']).message).toBe('the read GET /api/users/1 returns properties the schema does not declare: passwordHash, ssn');
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, i]));
    expect(judgeDeclared('GET /api/users/1', wide, []).message).toMatch(/p19 \(\+4980 more\)$/);
    expect(judgeDeclared('GET /api/users/1', [1, 2], ['id'])).toMatchObject({ status: 'errored' });
  });
});
