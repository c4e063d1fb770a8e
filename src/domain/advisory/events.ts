/** The events of a project's GitHub connection and of reports imported from GitHub. Never the token. */
import { event, type EventOf } from '../events.js';

export const gitHubConnected = (project: string, repository: string, apiUrl: string, login: string | null): EventOf<'github.connected'> =>
  event('github.connected', null, { project, repository, apiUrl, login });

export const gitHubChecked = (project: string, ok: boolean, result: unknown): EventOf<'github.checked'> =>
  event('github.checked', null, { project, ok, result });

export const gitHubDisconnected = (project: string): EventOf<'github.disconnected'> => event('github.disconnected', null, { project });

export const advisoryImported = (caseId: string, ghsaId: string, repository: string): EventOf<'advisory.imported'> =>
  event('advisory.imported', caseId, { ghsaId, repository });
