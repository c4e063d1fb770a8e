/** The case file: a documented YAML/JSON form of a case (docs/case-file.md), read, written and applied. */
export * from './types.js';
export { parseCaseFile, CASE_FILE_MAX_BYTES, type CaseFileProblem } from './parse.js';
export { caseToFile, caseFileData, embargoEndText } from './serialize.js';
export { applyCaseFile, caseFileEdit, caseFromFile, type ApplyOptions } from './apply.js';
