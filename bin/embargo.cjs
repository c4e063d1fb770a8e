#!/usr/bin/env node
// The bundled CLI (npm run build writes dist/; scripts/build.ts says how). CommonJS, like the bundle:
// an ES module entry would start Node's ES module loader, a few milliseconds of every command.
require('../dist/cli/start.js');
