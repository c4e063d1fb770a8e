/** A stored GitHub connection for tests that need one without talking to GitHub. */
import type { GitHubConnectionRecord } from '../../src/store/github.js';

export const connectionRecord = (project: string, sealedToken: GitHubConnectionRecord['sealedToken']): GitHubConnectionRecord => ({
  project,
  owner: 'projectcontour',
  name: project,
  sealedToken,
  apiUrl: 'https://api.github.com',
  createdBy: 'root',
  createdAt: '2026-11-25T10:00:00.000Z',
  checkedBy: null,
  checkedAt: null,
  checkOk: true,
  checkResult: 'ok',
  login: 'octocat',
});
