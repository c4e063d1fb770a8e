/** The "draft advisory created" mail says "visible to you as a collaborator" only when it is true (issue 13, item 6). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/domain/messages/index.js';
import { parsePlaybook } from '../../../src/domain/playbook/index.js';
import { makeCase } from '../../support/case-fixture.js';

const contour = parsePlaybook(readFileSync('playbooks/contour.yaml', 'utf8'));
const NOW = new Date('2026-11-25T10:00:00Z');
const reporter = { name: 'Ada', contact: 'ada@example.org', company: null, credit: 'named' as const };
const draft = (extra: Parameters<typeof makeCase>[0]) =>
  renderMessage('reporter-draft-created', { case: makeCase({ ghsaId: 'GHSA-x4mj-7f9g-29h4', ...extra }), playbook: contour, now: NOW })
    .body;

describe('reporter-draft-created', () => {
  it('names the draft without claiming access while no login is recorded, or GitHub has not accepted it', () => {
    expect(draft({ reporter })).toContain('(GHSA-x4mj-7f9g-29h4). It stays unpublished');
    expect(draft({ reporter: { ...reporter, githubLogin: 'ada-gh' } })).not.toContain('collaborator');
  });

  it('says the reporter can see it once their login is among the collaborators', () => {
    expect(draft({ reporter: { ...reporter, githubLogin: 'ada-gh' }, reporterCollaborator: 'ada-gh' })).toContain(
      '(GHSA-x4mj-7f9g-29h4, visible to you as a collaborator)',
    );
  });
});
