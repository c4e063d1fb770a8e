/** Rules for accounts and credentials, kept pure so the CLI and the API enforce the same ones. */
import { invalidInput } from './errors.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,38}$/;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** Usernames are at most 39 characters, like GitHub's logins. */
export const USERNAME_MAX = 39;
export const TOKEN_NAME_MAX = 100;
export const DISPLAY_NAME_MAX = 200;

export function username(value: unknown): string {
  if (typeof value !== 'string' || !USERNAME_PATTERN.test(value)) {
    throw invalidInput('username must be 2-39 lower-case letters, digits, dots, dashes or underscores', { field: 'username' });
  }
  return value;
}

export function password(value: unknown): string {
  if (typeof value !== 'string' || value.length < MIN_PASSWORD_LENGTH) {
    throw invalidInput(`password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  if (value.length > MAX_PASSWORD_LENGTH)
    throw invalidInput(`password must be at most ${MAX_PASSWORD_LENGTH} characters`, { field: 'password' });
  return value;
}

export function tokenName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > TOKEN_NAME_MAX) {
    throw invalidInput(`token name must be 1-${TOKEN_NAME_MAX} characters`, { field: 'name' });
  }
  return value.trim();
}

export function displayName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > DISPLAY_NAME_MAX) {
    throw invalidInput(`display name must be 1-${DISPLAY_NAME_MAX} characters`, { field: 'displayName' });
  }
  return value.trim();
}
