/**
 * One validator per export format, each built from the official schema in ../shared/data (the
 * independent oracle) and, for CSAF, the mandatory tests of @secvisogram/csaf-validator-lib.
 * Each returns a list of problems: empty means valid.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';
import validateStrict, { type DocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
import { nullableToJsonSchema } from '../../support/github-openapi.js';

export { nullableToJsonSchema };

const addFormats = _addFormats.default;

export const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(`${DATA}${path}`, 'utf8')) as Record<string, unknown>;

const explain = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

function run(validate: ValidateFunction, doc: unknown): string[] {
  return validate(doc) ? [] : explain(validate.errors);
}

let osv: ValidateFunction | undefined;
/** OSV: JSON Schema 2020-12. */
export function validateOsv(doc: unknown): string[] {
  if (!osv) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    osv = ajv.compile(json('schemas/osv/schema.json'));
  }
  return run(osv, doc);
}

let cve: { record: ValidateFunction; cna: ValidateFunction } | undefined;
function cveValidators() {
  if (!cve) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = json('schemas/cve5/CVE_JSON_bundled_5.1.1.json');
    ajv.addSchema(schema);
    const id = schema.$id as string;
    cve = { record: ajv.getSchema(id)!, cna: ajv.compile({ $ref: `${id}#/definitions/cnaPublishedContainer` }) };
  }
  return cve;
}

/** CVE JSON 5.1: the full record (draft-07). */
export const validateCveRecord = (doc: unknown) => run(cveValidators().record, doc);
/** CVE JSON 5.1: a CNA container on its own (definitions/cnaPublishedContainer). */
export const validateCveCna = (doc: unknown) => run(cveValidators().cna, doc);

let csaf: ValidateFunction | undefined;
/** CSAF 2.0: the OASIS schema (this copy declares JSON Schema 2020-12), with FIRST's CVSS schemas it references… */
export function validateCsafSchema(doc: unknown): string[] {
  if (!csaf) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    // The CSAF schema refers to FIRST's schemas by URL, but their ids carry a date suffix, and they
    // declare draft-04 (v2.0, v3.0) or draft-07 (v3.1). They use only keywords every draft reads
    // alike (type, enum, properties, required, $ref to #/definitions), so they are added under the
    // URL the CSAF schema uses, without their $schema, to the 2020-12 validator.
    for (const v of ['2.0', '3.0', '3.1']) {
      const { $schema: _draft, id: _oldId, ...schema } = json(`schemas/csaf_2.0/referenced_schema/first/cvss-v${v}.json`);
      ajv.addSchema({ ...schema, $id: `https://www.first.org/cvss/cvss-v${v}.json` });
    }
    csaf = ajv.compile(json('schemas/csaf_2.0/csaf_json_schema.json'));
  }
  return run(csaf, doc);
}

/** …and the strict schema test plus every mandatory test (6.1.x) of csaf-validator-lib (never full.js). */
export async function validateCsafMandatory(doc: unknown): Promise<string[]> {
  const basic = await import('@secvisogram/csaf-validator-lib/basic.js');
  const result = await validateStrict(Object.values(basic) as DocumentTest[], doc);
  return result.tests.filter((t) => !t.isValid).flatMap((t) => t.errors.map((e) => `${t.name} ${e.instancePath}: ${e.message}`));
}

let ghsa: { create: ValidateFunction; update: ValidateFunction } | undefined;
function ghsaValidators() {
  if (!ghsa) {
    const api = nullableToJsonSchema(json('github/github-rest.openapi.json')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'github-rest', components: api.components });
    const body = (path: string, method: 'post' | 'patch') => {
      const op = (api.paths as Record<string, Record<string, any>>)[path]![method];
      const ref = op.requestBody.content['application/json'].schema.$ref as string;
      return ajv.compile({ $ref: `github-rest${ref}` });
    };
    ghsa = {
      create: body('/repos/{owner}/{repo}/security-advisories', 'post'),
      update: body('/repos/{owner}/{repo}/security-advisories/{ghsa_id}', 'patch'),
    };
  }
  return ghsa;
}

/** GitHub: the request body of POST /repos/{owner}/{repo}/security-advisories (OpenAPI 3.0.3). */
export const validateGhsaCreate = (doc: unknown) => run(ghsaValidators().create, doc);
/** GitHub: the request body of PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}. */
export const validateGhsaUpdate = (doc: unknown) => run(ghsaValidators().update, doc);
