/**
 * The installed `embargo` command's first module (bin/embargo.cjs → dist/cli/start.js): it installs
 * the code cache for the bundle's chunks, then loads the program (main.ts) through it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeCache } from './code-cache.js';

const dir = path.dirname(fileURLToPath(import.meta.url));
// The build's warm-up asks for every cache to be rewritten, so each holds what all its runs compiled.
installCodeCache(dir, path.join(dir, '..', 'code-cache'), { refresh: process.env.EMBARGO_CODE_CACHE === 'refresh' });
void import('./main.js');
