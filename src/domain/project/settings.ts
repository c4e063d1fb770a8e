/**
 * Checks for a project's settings, as strict as a playbook's: a mistyped list address or time zone is
 * refused when it is configured, not discovered later in a mail's lint. Each check returns the cleaned
 * value or throws an invalid_input DomainError naming the setting.
 */
import { requiredText } from '../case/fields.js';
import * as limits from '../case/limits.js';
import { mailAddress } from '../disclosure/validate.js';
import { invalidInput } from '../errors.js';
import { isValidTimeZone } from '../time.js';
import { PROJECT_SETTING_KEYS, type ProjectSettings, type ProjectSettingsEdit } from './schema.js';

/** No whitespace or characters git refuses in tag names (the playbook schema's rule). */
const TAG_PREFIX = /^[^\s~^:?*[\\]*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

function releasePolicy(field: string, value: unknown): NonNullable<ProjectSettings['releasePolicy']> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput(`${field} must be an object like {"supportedLines": 3, "tagPrefix": "v"}`, { field });
  }
  const { supportedLines, tagPrefix, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalidInput(`${field}.${extra} is not part of a release policy (supportedLines, tagPrefix)`, { field });
  if (!Number.isInteger(supportedLines) || (supportedLines as number) < 1 || (supportedLines as number) > 32) {
    throw invalidInput(`${field}.supportedLines must be a whole number from 1 to 32`, { field });
  }
  if (typeof tagPrefix !== 'string' || tagPrefix.length > 64 || !TAG_PREFIX.test(tagPrefix)) {
    throw invalidInput(`${field}.tagPrefix must be what tags start with ("v" for v1.33.3, "" for 1.33.3), without spaces or ~^:?*[\\`, {
      field,
    });
  }
  return { supportedLines: supportedLines as number, tagPrefix };
}

function holidays(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw invalidInput(`${field} must be a list of days like ["2026-12-25"]`, { field });
  if (value.length > limits.HOLIDAYS_MAX) throw invalidInput(`${field} holds more than ${limits.HOLIDAYS_MAX} days`, { field });
  for (const day of value) {
    if (typeof day !== 'string' || !isRealDay(day))
      throw invalidInput(`${field}: "${String(day)}" is not a day like 2026-12-25`, { field });
  }
  return [...new Set(value as string[])].sort();
}

/** One setting's cleaned value. */
function settingValue<K extends keyof ProjectSettings>(key: K, value: unknown): ProjectSettings[K] {
  const field = `settings.${key}`;
  switch (key) {
    case 'securityContact':
    case 'distributorsList':
    case 'usersList':
    case 'mailFrom':
      return mailAddress(field, value) as ProjectSettings[K];
    case 'embargoNote':
      return requiredText(field, value, limits.EMBARGO_NOTE_MAX).replace(/\r\n?/g, '\n') as ProjectSettings[K];
    case 'securityTag': {
      const tag = requiredText(field, value, 64);
      if (/[\r\n]/.test(tag)) throw invalidInput(`${field} must be one line`, { field });
      return tag as ProjectSettings[K];
    }
    case 'timeZone': {
      const zone = requiredText(field, value, 64);
      if (!isValidTimeZone(zone))
        throw invalidInput(`${field} "${zone}" is not a time zone; use an IANA name such as Europe/Berlin`, { field });
      return zone as ProjectSettings[K];
    }
    case 'holidays':
      return holidays(field, value) as ProjectSettings[K];
    case 'releasePolicy':
      return releasePolicy(field, value) as ProjectSettings[K];
  }
  throw invalidInput(`${field} is not a project setting`, { field });
}

function settingsObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidInput('settings must be an object', { field: 'settings' });
  for (const key of Object.keys(value)) {
    if (!(PROJECT_SETTING_KEYS as string[]).includes(key)) {
      throw invalidInput(`settings.${key} is not a project setting; known: ${PROJECT_SETTING_KEYS.join(', ')}`, {
        field: `settings.${key}`,
      });
    }
  }
  return value as Record<string, unknown>;
}

/** A whole set of settings, as given when a project is added. */
export function projectSettings(value: unknown): ProjectSettings {
  if (value === undefined || value === null) return {};
  const raw = settingsObject(value);
  const out: Record<string, unknown> = {};
  for (const key of PROJECT_SETTING_KEYS) if (raw[key] !== undefined) out[key] = settingValue(key, raw[key]);
  return out as ProjectSettings;
}

/** Settings after an edit: a key set to null is dropped (the playbook's value applies again). */
export function editedSettings(current: ProjectSettings, edit: unknown): ProjectSettings {
  const raw = settingsObject(edit) as ProjectSettingsEdit;
  const next: Record<string, unknown> = { ...current };
  for (const key of PROJECT_SETTING_KEYS) {
    if (raw[key] === undefined) continue;
    if (raw[key] === null) delete next[key];
    else next[key] = settingValue(key, raw[key]);
  }
  return next as ProjectSettings;
}
