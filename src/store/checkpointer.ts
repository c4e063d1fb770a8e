/**
 * SQLite checkpoints on a thread of their own, for the server. A checkpoint copies the log's pages
 * into the database file and syncs it; left to SQLite, it runs inside the COMMIT that fills the log
 * past 1,000 pages — on the one thread that serves every request, which then stalls for the copy
 * and two syncs about once a second under load (the slowest hundredth of case reads). Here a
 * worker thread with its own connection runs PASSIVE checkpoints, which never block a reader or a
 * writer, every interval; the committing connection checkpoints only past a bound on the log's
 * size (store.ts). After a complete checkpoint SQLite starts the log over at the next write.
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
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  worker.on('message', (m: { error?: string; stopped?: boolean }) => {
    if (m.error) onError(m.error);
    if (m.stopped) void worker.terminate();
  });
  worker.on('error', (err) => onError(err.message));
  return {
    stop() {
      if (!stopping) {
        // A worker that died already (its error was reported) has nothing left to close.
        if (!exited) worker.postMessage('stop');
        stopping = exit;
      }
      return stopping;
    },
  };
}
