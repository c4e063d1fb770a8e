/**
 * The installed `embargo` command's first module (bin/embargo.cjs → dist/cli/start.js): it installs
 * the code cache for the bundle's chunks, then loads the program (main.ts) through it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeCache } from './code-cache.js';

const dir = path.dirname(fileURLToPath(import.meta.url));
installCodeCache(dir, path.join(dir, '..', 'code-cache'));
void import('./main.js');
