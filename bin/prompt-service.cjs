#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the bin works straight from a checkout.
require('tsx/cjs');
require('../service/entrypoints/prompt-service.ts');
