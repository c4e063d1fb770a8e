/**
 * Errors with a stable machine code and a sentence a person understands. The shells map codes to
 * HTTP statuses and CLI exit codes; the domain never knows about either.
 */
export type DomainErrorCode =
  | 'invalid_input' // the request itself is wrong: 400 / exit 2
  | 'not_found' // 404 / exit 1
  | 'conflict' // the state does not allow it (e.g. step already done): 409 / exit 1
  | 'gate_failed' // a playbook gate is unmet: 409 / exit 1, details.unmet lists every condition
  | 'revision_conflict' // the change was based on an older revision: 409 / exit 1, details name what changed since
  | 'forbidden' // 403 / exit 1
  | 'unauthorized' // 401 / exit 1
  | 'rate_limited'; // too many attempts for now: 429 / exit 1

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const invalidInput = (message: string, details: Record<string, unknown> = {}) => new DomainError('invalid_input', message, details);

export const notFound = (message: string) => new DomainError('not_found', message);

export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('conflict', message, details);
