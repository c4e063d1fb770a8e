/**
 * Which database a running `embargo serve` uses, for the local CLI (issue 13, item 15): a second
 * terminal without the server's EMBARGO_DATA_DIR silently created a second database. The server
 * leaves a note per port in a directory of the OS user's own (nothing crosses users or the network);
 * the CLI reads it before it would create a new database file.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

export interface RunningServer {
  pid: number;
  port: number;
  /** describeDatabase's words: "SQLite /abs/path/embargo.db" or "PostgreSQL at host/db". */
  database: string;
}

function noteDir(): string {
  let who: string;
  try {
    who = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    who = 'user';
  }
  return path.join(tmpdir(), `embargo-${who}`);
}

const noteFile = (port: number) => path.join(noteDir(), `server-${port}.json`);

/** Written once the server listens; the returned function removes it (on shutdown). */
export function noteRunningServer(port: number, database: string): () => void {
  const file = noteFile(port);
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify({ pid: process.pid, port, database } satisfies RunningServer), { mode: 0o600 });
  } catch {
    return () => {}; // a note that cannot be written only loses the CLI's warning
  }
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The server running on `port` (by its note, while its process lives), or null. */
export function runningServer(port: number): RunningServer | null {
  const file = noteFile(port);
  if (!existsSync(file)) return null;
  try {
    const note = JSON.parse(readFileSync(file, 'utf8')) as RunningServer;
    if (typeof note.pid !== 'number' || typeof note.database !== 'string' || !alive(note.pid)) return null;
    return note;
  } catch {
    return null;
  }
}
