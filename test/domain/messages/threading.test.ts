/** Reporter mails thread under the report's Message-ID (issue 13, item 8); list mails never do. */
import { describe, expect, it } from 'vitest';
import { threadHeaders } from '../../../src/domain/messages/index.js';

describe('threadHeaders', () => {
  it('answers the report: In-Reply-To and References carry its Message-ID in angle brackets', () => {
    expect(threadHeaders('reporter', '<abc@mail.example>')).toEqual({
      'In-Reply-To': '<abc@mail.example>',
      References: '<abc@mail.example>',
    });
    expect(threadHeaders('reporter', 'abc@mail.example')).toEqual({
      'In-Reply-To': '<abc@mail.example>',
      References: '<abc@mail.example>',
    });
  });

  it('adds nothing for the lists, without an id, or for an id that is not one', () => {
    expect(threadHeaders('distributors', '<abc@mail.example>')).toEqual({});
    expect(threadHeaders('users', '<abc@mail.example>')).toEqual({});
    expect(threadHeaders('reporter', null)).toEqual({});
    expect(threadHeaders('reporter', '<a b@x>')).toEqual({});
  });
});
