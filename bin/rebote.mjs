#!/usr/bin/env node
// `node bin/rebote.mjs ...` keeps working: the command line itself is bin/rebote.cjs (CommonJS,
// which starts faster; package.json "bin" points there).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./rebote.cjs');
