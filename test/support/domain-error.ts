import { DomainError } from '../../src/domain/errors.js';

/** Runs `fn` and returns the DomainError it throws; fails the test if it throws nothing or something else. */
export function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}
