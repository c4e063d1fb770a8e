/**
 * Advisory exports: each is a pure function from a Case to a document. `renderExport` picks one by
 * format name and serializes it (JSON with two-space indentation, or Markdown text).
 */
import type { Case } from '../case/types.js';
import { invalidInput } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat } from './common.js';
import { csafDocument, type CsafOptions } from './csaf.js';
import { cve5Record, type Cve5Options } from './cve5.js';
import { ghsaAdvisory, type GhsaOptions } from './ghsa.js';
import { markdownAdvisory } from './markdown.js';
import { osvRecord } from './osv.js';

export * from './common.js';
export { osvRecord, OSV_SCHEMA_VERSION, type OsvRecord } from './osv.js';
export { cve5Record, cveCnaContainer, GITHUB_CNA, type CnaIdentity, type Cve5Options } from './cve5.js';
export { csafDocument, type CsafOptions } from './csaf.js';
export { ghsaAdvisory, ghsaCvss, type GhsaAdvisoryBody, type GhsaCvssChoice, type GhsaOptions } from './ghsa.js';
export { markdownAdvisory, escapeMarkdown } from './markdown.js';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  osv: 'application/json',
  cve5: 'application/json',
  csaf: 'application/json',
  ghsa: 'application/json',
  md: 'text/markdown; charset=utf-8',
};

/** The file extension a person would give each export. */
export const FILE_EXTENSIONS: Record<ExportFormat, string> = {
  osv: '.osv.json',
  cve5: '.cve.json',
  csaf: '.csaf.json',
  ghsa: '.ghsa.json',
  md: '.md',
};

/** A format name as typed ("OSV", "markdown", "cve" are accepted), or invalid_input listing the formats. */
export function parseExportFormat(value: unknown): ExportFormat {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const alias: Record<string, ExportFormat> = { markdown: 'md', cve: 'cve5', 'cve-json': 'cve5', github: 'ghsa' };
  const format = (alias[text] ?? text) as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw invalidInput(`format "${String(value).slice(0, 40)}" is not one of ${EXPORT_FORMATS.join(', ')}`, {
      field: 'format',
      allowed: [...EXPORT_FORMATS],
    });
  }
  return format;
}

export interface ExportOptions {
  cve5?: Cve5Options;
  csaf?: CsafOptions;
  ghsa?: GhsaOptions;
}

/** The document for one format, as an object (JSON formats) or text (Markdown). */
export function exportDocument(c: Case, format: ExportFormat, options: ExportOptions = {}): unknown {
  switch (format) {
    case 'osv':
      return osvRecord(c);
    case 'cve5':
      return cve5Record(c, options.cve5);
    case 'csaf':
      return csafDocument(c, options.csaf);
    case 'ghsa':
      return ghsaAdvisory(c, options.ghsa);
    case 'md':
      return markdownAdvisory(c);
  }
}

export interface RenderedExport {
  format: ExportFormat;
  contentType: string;
  text: string;
}

/** The document serialized: JSON (two-space indent, final newline) or the Markdown text. */
export function renderExport(c: Case, format: ExportFormat, options: ExportOptions = {}): RenderedExport {
  const doc = exportDocument(c, format, options);
  const text = typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, 2)}\n`;
  return { format, contentType: CONTENT_TYPES[format], text };
}
