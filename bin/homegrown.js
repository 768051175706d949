#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx homegrown` works without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
