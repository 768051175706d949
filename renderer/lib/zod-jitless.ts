// Imported first by main.ts: zod 4 probes `new Function` when its object schemas are built, and the
// page's Content-Security-Policy (no 'unsafe-eval') reports that probe as a console error on every
// load. Jitless zod skips the probe and validates without generated code.
import { z } from 'zod';

z.config({ jitless: true });
