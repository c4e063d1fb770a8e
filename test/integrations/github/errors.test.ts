/** GitHub's failure headers read the way GitHub writes them, and no token ever in a sentence. */
import { describe, expect, it } from 'vitest';
import {
  acceptedPermission,
  errorFromResponse,
  GitHubError,
  rateLimitWait,
  scrubToken,
  type Attempt,
} from '../../../src/integrations/github/errors.js';

const attempt: Attempt = { action: 'create the advisory draft on o/r', where: 'o/r', target: 'repository o/r', write: true };
const NOW = Date.parse('2026-11-25T10:00:00Z');

describe('GitHub errors', () => {
  it('reads X-Accepted-GitHub-Permissions (first alternative)', () => {
    expect(acceptedPermission('repository_advisories=write')).toBe('repository_advisories: write');
    expect(acceptedPermission('contents=read,issues=write; pull_requests=read')).toBe('contents: read, issues: write');
    expect(acceptedPermission('')).toBeNull();
    expect(acceptedPermission(undefined)).toBeNull();
  });

  it('tells a secondary limit from the primary one', () => {
    const secondary = {
      status: 403,
      headers: { 'retry-after': '30', 'x-ratelimit-remaining': '4000' },
      data: { message: 'You have exceeded a secondary rate limit.' },
    };
    expect(rateLimitWait(secondary, NOW)).toEqual({ secondary: true, seconds: 30 });
    const primary = {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 600) },
      data: { message: 'API rate limit exceeded' },
    };
    expect(rateLimitWait(primary, NOW)).toEqual({ secondary: false, seconds: 600 });
    expect(errorFromResponse(primary, attempt, NOW).message).toBe(
      "GitHub's API rate limit for this token is used up: try again in 10 min; nothing was changed on the case.",
    );
    // Without retry-after GitHub asks for at least a minute.
    expect(rateLimitWait({ status: 429, headers: {}, data: {} }, NOW)).toEqual({ secondary: true, seconds: 60 });
    // A permission 403 is no rate limit.
    expect(
      rateLimitWait({ status: 403, headers: { 'x-ratelimit-remaining': '4000' }, data: { message: 'Resource not accessible' } }, NOW),
    ).toBeNull();
  });

  it('an unexpected status is still a sentence', () => {
    const err = errorFromResponse({ status: 409, headers: {}, data: { message: 'Conflict' } }, attempt, NOW);
    expect(err).toMatchObject({ kind: 'unavailable', status: 409 });
    expect(err.message).toBe(
      'GitHub answered 409 while trying to create the advisory draft on o/r (GitHub said: "Conflict"); nothing was changed on the case.',
    );
  });

  it('scrubs the token from any message, keeping the rest of the error', () => {
    const err = new GitHubError('validation', 'GitHub rejected ghp_secret123: bad', { status: 422 });
    const clean = scrubToken(err, 'ghp_secret123');
    expect(clean.message).toBe('GitHub rejected ***: bad');
    expect(clean).toMatchObject({ kind: 'validation', status: 422 });
    expect(scrubToken(err, 'other')).toBe(err);
  });
});
