/**
 * The API's request and answer types the CLI names, taken from the generated client (never a
 * copy). Where a route's answer schema is still looser than what it presents (an open object for
 * a playbook, a plain string for a step's status), the printers read the domain's own type of that
 * presented value: `asDomain` says so at the one place it happens.
 */
import type { Answer, paths } from '../client/client.js';

type JsonBody<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** `PATCH /cases/{caseId}`: every key optional, null clears. */
export type CaseEdit = JsonBody<paths['/api/v1/cases/{caseId}']['patch']>;
export type ReporterInput = NonNullable<CaseEdit['reporter']>;
export type CaseWithSteps = Answer<'/api/v1/cases/{caseId}/steps', 'get'>;

/**
 * The answer read as the domain type the server presented it from. Used only where the answer's
 * schema is looser than that type (the schemas become exact as the routes move to TypeBox).
 */
export const asDomain = <T>(answer: unknown): T => answer as T;
