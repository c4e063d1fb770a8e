#!/usr/bin/env node
// The bundled CLI (npm run build writes dist/; scripts/build.ts says how).
import '../dist/cli/start.js';
