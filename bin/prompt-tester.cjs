#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the command works straight after `npm ci`.
require('tsx/cjs');
require('../service/entrypoints/prompt-tester.ts');
