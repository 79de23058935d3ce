#!/usr/bin/env node
// The `kefu` command: loads TypeScript through tsx, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/kefu.ts');
