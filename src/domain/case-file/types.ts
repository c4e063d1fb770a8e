import type { AffectedRange, CasePackage, Credit, CreditPreference } from '../case/types.js';

/** The reporter as a case file gives it: the contact is optional and never written back. */
export interface CaseFileReporter {
  name: string;
  company: string | null;
  credit: CreditPreference;
  contact?: string;
}

export interface CaseFileReleaseLine {
  line: string;
  version: string;
  /** Written by Embargo for the reader; ignored on import (releases are recorded with `case release`). */
  released?: string | null;
  tag?: string | null;
}

/**
 * A parsed, checked case file (docs/case-file.md). Keys absent from the file are absent here and
 * leave the case as it is on import; present keys (even empty or null) set the value.
 */
export interface CaseFileData {
  id?: string;
  project?: string;
  playbook?: string;
  title: string;
  ghsa?: string | null;
  cve?: string | null;
  description?: string;
  package?: CasePackage | null;
  cvss?: string[];
  cwe?: string[];
  affected?: AffectedRange[];
  credits?: Credit[];
  reporter?: CaseFileReporter | null;
  published?: string | null;
  references?: string[];
  workarounds?: string;
  embargo?: { endsAt: string; timeZone: string } | null;
  releasePlan?: CaseFileReleaseLine[];
}

/** The top-level keys, in the order caseToFile writes them. */
export const CASE_FILE_KEYS = [
  'id',
  'project',
  'playbook',
  'title',
  'ghsa',
  'cve',
  'package',
  'description',
  'cvss',
  'cwe',
  'affected',
  'reporter',
  'credits',
  'published',
  'references',
  'workarounds',
  'embargo',
  'releasePlan',
] as const satisfies readonly (keyof CaseFileData)[];
