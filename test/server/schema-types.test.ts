/**
 * The answer schemas say exactly what the app returns: the TypeBox type provider already refuses a
 * handler whose answer lacks a field its schema requires, and these checks (compile-time, run by
 * `tsc`) refuse the other way round — a field the app returns that the schema does not list, which
 * the response serialiser would silently drop.
 */
import type { Static } from 'typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type { PublicUser } from '../../src/app/accounts.js';
import type { Case, CaseEdit, CaseEditInput, caseSummary } from '../../src/domain/case/index.js';
import type { CaseEditSchema, CaseSchema } from '../../src/domain/case/schema.js';
import type { StepView } from '../../src/domain/playbook/index.js';
import type { StoredEvent } from '../../src/store/events.js';
import type { CaseSummarySchema, EventSchema, StepViewSchema, UserSchema } from '../../src/server/schemas.js';

describe('answer schemas match the types the app returns', () => {
  it('Case, CaseSummary, Event, StepView and User', () => {
    expectTypeOf<Static<typeof CaseSchema>>().toEqualTypeOf<Case>();
    expectTypeOf<Static<typeof CaseSummarySchema>>().toEqualTypeOf<ReturnType<typeof caseSummary>>();
    // Events are a closed union in the domain; the answer schema lists the stored event's keys but
    // the chain link (prevHash, on purpose), with the action as a string and the details as an
    // object, so every typed event fits it.
    type EventAnswer = Omit<StoredEvent, 'prevHash'>;
    expectTypeOf<keyof Static<typeof EventSchema>>().toEqualTypeOf<keyof EventAnswer>();
    expectTypeOf<EventAnswer>().toExtend<Static<typeof EventSchema>>();
    expectTypeOf<Static<typeof StepViewSchema>>().toEqualTypeOf<StepView>();
    expectTypeOf<Static<typeof UserSchema>>().toEqualTypeOf<PublicUser>();
  });

  it('CaseEdit has exactly the keys of its schema', () => {
    expectTypeOf<keyof CaseEdit>().toEqualTypeOf<keyof Static<typeof CaseEditSchema>>();
    expectTypeOf<CaseEditInput>().toEqualTypeOf<Static<typeof CaseEditSchema>>();
  });
});
