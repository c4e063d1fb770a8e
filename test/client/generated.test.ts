/** The committed client sources are what the server's routes generate today. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateClientFiles, OPENAPI_FILE } from '../../scripts/generate-client.js';

describe('the generated API client', () => {
  it('is current: src/client/openapi.json and api.ts match the routes', { timeout: 60_000 }, async () => {
    const fresh = await generateClientFiles();
    const stale: string[] = [];
    if ((await readFile(OPENAPI_FILE, 'utf8')) !== fresh.openapi) stale.push('src/client/openapi.json');
    if ((await readFile(API_TYPES_FILE, 'utf8')) !== fresh.apiTypes) stale.push('src/client/api.ts');
    // One line that says what to do, rather than a 10,000-line diff.
    if (stale.length > 0) expect.fail(`${stale.join(' and ')} differ from the routes: run npm run generate:client`);
  });
});
