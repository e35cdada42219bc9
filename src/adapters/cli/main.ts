#!/usr/bin/env node
import { registerAudit } from './audit.js';
import { registerKeys } from './keys.js';
import { registerPolicy } from './policy.js';
import { registerPolicyPublication } from './policy-publication.js';
import { createProgram, runProgram } from './program.js';
import { registerScreen } from './screen.js';
import { registerServe } from './serve.js';
import { registerSimulate } from './simulate.js';
import { registerWorker } from './worker.js';

// Each command group registers itself here, one line each, in the order `--help` lists them.
const program = createProgram();
registerPolicy(program);
registerPolicyPublication(program);
registerSimulate(program);
registerServe(program);
registerAudit(program);
registerKeys(program);
registerScreen(program);
registerWorker(program);

void runProgram(program, process.argv.slice(2));
