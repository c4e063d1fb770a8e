import { openStore, type Store } from '../store/store.js';
import type { Config } from './config.js';
import { lazyPlaybooks, loadPlaybooks, type PlaybookRegistry } from './playbooks.js';
import { ensureExampleProject } from './projects.js';

/** Everything a use case needs from the outside world, passed in so tests can pin the clock. */
export interface App {
  store: Store;
  playbooks: PlaybookRegistry;
  config: Config;
  clock: () => Date;
}

export interface AppOptions {
  clock?: () => Date;
  /**
   * Read the playbooks on first use instead of now (the CLI's local mode, where most commands read
   * none): a broken playbook or a missing default then fails the command that needs it, not the start.
   */
  lazyPlaybooks?: boolean;
  /** The server's: SQLite's checkpoints on a worker thread (store/checkpointer.ts). */
  backgroundCheckpoints?: boolean;
}

/** Builds the app around a store that is already open (tests bring their own database). */
export async function createApp(store: Store, config: Config, options: AppOptions = {}): Promise<App> {
  const playbooks = options.lazyPlaybooks ? lazyPlaybooks(config.playbooksDir) : await loadPlaybooks(config.playbooksDir);
  // Refuse to run without the default playbook rather than fail on the first new case.
  if (!options.lazyPlaybooks) playbooks.get(config.defaultPlaybook);
  const app: App = { store, playbooks, config, clock: options.clock ?? (() => new Date()) };
  await ensureExampleProject(app);
  return app;
}

export async function openApp(config: Config, options: AppOptions = {}): Promise<App> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    backgroundCheckpoints: options.backgroundCheckpoints,
  });
  try {
    return await createApp(store, config, options);
  } catch (err) {
    await store.close();
    throw err;
  }
}
