// Electron's entry: runs the TypeScript main process through tsx, as bin/homegrown.js does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
