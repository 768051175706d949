// A throwaway app data folder per test, removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Store } from '#core/store/index';

const made: string[] = [];
const opened: Store[] = [];

afterEach(() => {
  for (const store of opened.splice(0)) if (store.db.open) store.close();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homegrown-store-'));
  made.push(dir);
  return dir;
}

export function tempStore(home = tempDir()): Store {
  const store = Store.open({ home });
  opened.push(store);
  return store;
}
