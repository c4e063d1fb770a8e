/** Case ids read like EMB-2026-0007: the year the report arrived and a per-year counter. */
export const CASE_ID_PATTERN = /^EMB-\d{4}-\d{4,}$/;

export function formatCaseId(year: number, n: number): string {
  return `EMB-${year}-${String(n).padStart(4, '0')}`;
}

export function isCaseId(value: string): boolean {
  return CASE_ID_PATTERN.test(value);
}
