import { describe, expect, it } from 'vitest';
import { judgeDirect, judgeOverride } from '../../src/checks/bfla/judge.js';

const refused = [401, 403, 404, 405];
const direct = (status: number) => ({ line: 'DELETE /api/users/7', status });
const tunnelled = (status: number) => ({ line: 'POST /api/users/7 with X-HTTP-Method-Override: DELETE', status });

describe('bfla judging', () => {
  it('direct: refused passes; performed fails; refused but gone fails; unreadable after a refusal errs', () => {
    expect(judgeDirect(direct(403), undefined, refused)).toMatchObject({ status: 'passed', message: "the caller's DELETE /api/users/7 was answered 403: refused" });
    expect(judgeDirect(direct(204), undefined, refused)).toMatchObject({
      status: 'failed',
      message: "the caller's DELETE /api/users/7 was answered 204 (expected 401 or 403 or 404 or 405): a caller without the scope performed an admin-only operation",
    });
    expect(judgeDirect(direct(403), { status: 404 }, refused).message).toBe("the caller's DELETE /api/users/7 was answered 403, but the admin's next read was 404: the operation was performed all the same");
    expect(judgeDirect(direct(500), { status: 200 }, refused)).toMatchObject({ status: 'failed', message: "the caller's DELETE /api/users/7 was answered 500, not 401 or 403 or 404 or 405" });
    expect(judgeDirect(direct(403), { failure: 'timeout: no answer within 1s' }, refused).status).toBe('errored');
    expect(judgeDirect(direct(403), { status: 500 }, refused).message).toMatch(/\[E_PRECONDITION\]$/);
  });

  it('method-override: the success status fails, so does the object gone; anything else passes', () => {
    expect(judgeOverride(tunnelled(405), { status: 200 }, '2xx', 'DELETE').status).toBe('passed');
    expect(judgeOverride(tunnelled(200), { status: 200 }, '2xx', 'DELETE')).toMatchObject({
      status: 'failed',
      message: "the caller's POST /api/users/7 with X-HTTP-Method-Override: DELETE was answered 200, the DELETE's success status: the override may have performed the admin-only DELETE (though the admin's next read still finds the object)",
    });
    // The POST's own success is no finding when the operation's success status is declared apart from it.
    expect(judgeOverride(tunnelled(200), { status: 200 }, 204, 'DELETE').status).toBe('passed');
    expect(judgeOverride(tunnelled(405), { status: 410 }, '2xx', 'DELETE').message).toBe(
      "the caller's POST /api/users/7 with X-HTTP-Method-Override: DELETE was answered 405 and the admin's next read was 410: the override performed the admin-only DELETE",
    );
    expect(judgeOverride(tunnelled(405), { status: 503 }, '2xx', 'DELETE').status).toBe('errored');
  });
});
