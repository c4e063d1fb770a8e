/** Entry point of the `embargo` command (bin/embargo.cjs loads the bundled copy of this file, see scripts/build.ts). */
import { run } from './program.js';
import { processWorld } from './world.js';

// `embargo case events ID | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// No top-level await: the build turns this module into CommonJS, which has none.
void run(processWorld()).then((code) => {
  // Let stdout drain (pipes may be asynchronous), then exit even if a keep-alive socket lingers.
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
});
