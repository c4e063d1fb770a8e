/** Severity: CVSS 3.0/3.1/4.0 scoring (cvss.ts is the only file that imports the CVSS library) and the CWE catalogue. */
export * from './cvss.js';
export * from './cwe.js';
