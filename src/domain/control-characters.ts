/**
 * Control characters in text. A NUL byte is refused by PostgreSQL ("invalid byte sequence") and kept
 * by SQLite, and the others (escape sequences, backspace, the C1 set) only ever hide what a text says
 * from the person reading it; so every string a request carries is refused when it holds one. Tab,
 * newline and carriage return (a CRLF line end) are text.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export interface ControlCharacter {
  /** Where it is: `body.reporter.name`, `query.q`, `params.username`, a key as `body[key]`. */
  path: string;
  /** The character as U+XXXX. */
  character: string;
}

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first control character in any string of `value` (keys included), depth-first; null if none. */
export function findControlCharacter(value: unknown, path: string): ControlCharacter | null {
  if (typeof value === 'string') {
    const m = CONTROL.exec(value);
    return m ? { path, character: codePoint(m[0]) } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      const inKey = findControlCharacter(key, `${path}[key]`);
      if (inKey) return inKey;
      const found = findControlCharacter(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
