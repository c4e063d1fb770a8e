/** Rules for accounts and credentials, kept pure so the CLI and the API enforce the same ones. */
import { conflict, invalidInput } from './errors.js';

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

/** What an admin changed about a user: only the fields that changed. */
export type UserChange = {
  role?: 'admin' | 'member';
  displayName?: string;
  /** true: disabled (no sign-in; their sessions and tokens are refused); false: enabled again. */
  disabled?: boolean;
};

export interface UserChangeInput {
  role?: unknown;
  displayName?: unknown;
  disabled?: unknown;
}

/**
 * What an admin's edit changes about a user, checked: the fields that differ from `user` (nothing
 * when the edit repeats them). Embargo must keep one admin who can sign in, so an admin cannot
 * disable themselves, and the last enabled admin can be neither demoted nor disabled.
 */
export function userChangeOf(
  user: { role: 'admin' | 'member'; displayName: string; disabled: boolean },
  input: UserChangeInput,
  context: { self: boolean; enabledAdmins: number },
): UserChange {
  const change: UserChange = {};
  if (input.role !== undefined) {
    if (input.role !== 'admin' && input.role !== 'member') throw invalidInput('role must be admin or member', { field: 'role' });
    if (input.role !== user.role) change.role = input.role;
  }
  if (input.displayName !== undefined) {
    const name = displayName(input.displayName);
    if (name !== user.displayName) change.displayName = name;
  }
  if (input.disabled !== undefined) {
    if (typeof input.disabled !== 'boolean') throw invalidInput('disabled must be true or false', { field: 'disabled' });
    if (input.disabled !== user.disabled) change.disabled = input.disabled;
  }
  if (change.disabled === true && context.self) {
    throw invalidInput('you cannot disable your own account; another admin can', { field: 'disabled' });
  }
  const losesAdmin = user.role === 'admin' && !user.disabled && (change.role === 'member' || change.disabled === true);
  if (losesAdmin && context.enabledAdmins <= 1) {
    throw conflict('this is the last admin who can sign in: make another user admin first', { field: change.role ? 'role' : 'disabled' });
  }
  return change;
}
