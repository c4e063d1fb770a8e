import { describe, expect, it } from 'vitest';
import { findControlCharacter } from '../../src/domain/control-characters.js';

describe('findControlCharacter', () => {
  it('finds NUL, escape, DEL and C1 characters, naming where and which', () => {
    expect(findControlCharacter('a\u0000b', 'body.title')).toEqual({ path: 'body.title', character: 'U+0000' });
    expect(findControlCharacter({ x: ['ok', 'a\u001b[1m'] }, 'body')).toEqual({ path: 'body.x[1]', character: 'U+001B' });
    expect(findControlCharacter({ 'k\u007f': 1 }, 'query')).toEqual({ path: 'query[key]', character: 'U+007F' });
    expect(findControlCharacter('next\u0085line', 'p')).toEqual({ path: 'p', character: 'U+0085' });
  });

  it('lets tab, newline, carriage return and every printable character through', () => {
    expect(findControlCharacter({ a: 'tab\there\r\nnew\nline', b: ['é😀\u200b\u202e'], c: 42, d: null }, 'body')).toBeNull();
    expect(findControlCharacter(undefined, 'body')).toBeNull();
  });
});
