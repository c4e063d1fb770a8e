/**
 * Vitest's global setup: the browser tests drive the real production build of the web app, so build
 * it when it is missing or older than its sources (a clean clone after `npm ci`, or an edit).
 */
import { buildIfStale } from '../../scripts/build-if-stale.mjs';

export default function setup(): void {
  buildIfStale(['web'], (line) => console.log(line));
}
