/**
 * SQLite checkpoints on a thread of their own, for the server. A checkpoint copies the log's pages
 * into the database file and syncs it; left to SQLite, it runs inside the COMMIT that fills the log
 * past 1,000 pages — on the one thread that serves every request, which then stalls for the copy
 * and two syncs about once a second under load (the slowest hundredth of case reads). Here the
 * committing connection never checkpoints (wal_autocheckpoint = 0); a worker thread with its own
 * connection runs PASSIVE checkpoints, which never block a reader or a writer, every interval.
 * After a complete checkpoint SQLite starts the log over at the next write, so it stays small.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  stop(): Promise<void>;
}

// CommonJS, evaluated in the worker: no module of ours to find at run time (the built CLI bundles them).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let timer;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
tick();
`;

export function startCheckpointer(file: string, intervalMs = 200, onError: (message: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  let stopping: Promise<void> | undefined;
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onError(m.error);
  });
  worker.on('error', (err) => onError(err.message));
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.on('message', (m: { stopped?: boolean }) => {
          if (m.stopped) void worker.terminate();
        });
        worker.postMessage('stop');
      });
      return stopping;
    },
  };
}
