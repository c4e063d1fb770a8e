/**
 * Case ids read like EMB-2026-0007: the year the report arrived and a per-year counter of 4 to 8
 * digits. The one definition of the pattern: the domain checks with it and the API's path
 * parameters validate with its source.
 */
export const CASE_ID_SOURCE = '^EMB-\\d{4}-\\d{4,8}$';
export const CASE_ID_PATTERN = new RegExp(CASE_ID_SOURCE);

export function formatCaseId(year: number, n: number): string {
  return `EMB-${year}-${String(n).padStart(4, '0')}`;
}

export function isCaseId(value: string): boolean {
  return CASE_ID_PATTERN.test(value);
}
