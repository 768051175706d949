// Benchmark (not a test): the Gallery with 100 000 generations in web mode, in Debian's chromium at
// 1024×700. Scrolls for a fixed time, loading keyset pages as it goes, and reports frame times, how
// many images were reached and how many tiles the DOM held at most (virtualisation keeps it flat).
// Run: npm run build:renderer && npx tsx bench/gallery-scroll.ts [rows] [seconds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Store } from '../main/core/store';
import { startServer } from '../main/server/start';
import { VIEWPORT, launch, skipReason } from '../test/e2e/browser';

const ROWS = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 20);
const FILES = 16;

// Runs in the page, as source text: tsx would wrap a function's inner closures in a helper the page lacks.
const SCROLL = `new Promise((done) => {
  const scroller = document.querySelector('.wrap > div');
  const frames = [];
  let maxTiles = 0;
  let last = performance.now();
  const end = last + SECONDS * 1000;
  const tick = (now) => {
    frames.push(now - last);
    last = now;
    scroller.scrollTop += 600;
    maxTiles = Math.max(maxTiles, document.querySelectorAll('.tile').length);
    if (now < end) requestAnimationFrame(tick);
    else {
      frames.sort((a, b) => a - b);
      const q = (p) => +frames[Math.min(frames.length - 1, Math.floor(p * frames.length))].toFixed(1);
      done({ frames: frames.length, medianMs: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: q(1), maxTiles,
        loaded: document.querySelector('.count').textContent.trim() });
    }
  };
  requestAnimationFrame(tick);
})`;

const why = skipReason();
if (why) throw new Error(why);

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'homegrown-gallery-bench-'));
const store = Store.open({ home });
const run = store.runs.create({ model: 'gan', config: {} });
// A few real 32 px images, hard-linked under each row's own path: the bench is about the grid, not the disk.
fs.mkdirSync(store.files.resolve('images/bench'), { recursive: true });
fs.mkdirSync(store.files.resolve('images/rows'), { recursive: true });
for (let i = 0; i < FILES; i++) {
  const png = await sharp({
    create: { width: 32, height: 32, channels: 3, background: { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 31) % 256 } },
  })
    .png()
    .toBuffer();
  fs.writeFileSync(store.files.resolve(`images/bench/${i}.png`), png);
}
const insert = store.db.prepare(
  `INSERT INTO generations (path, prompt, negative, seed, run_id, checkpoint_id, backend, params, rating, favourite, created_at)
   VALUES (?, ?, '', ?, ?, NULL, 'cpu', '{}', NULL, 0, ?)`,
);
store.db.transaction(() => {
  for (let i = 0; i < ROWS; i++) {
    fs.linkSync(store.files.resolve(`images/bench/${i % FILES}.png`), store.files.resolve(`images/rows/${i}.png`));
    insert.run(`images/rows/${i}.png`, `colour ${i % FILES}, shape ${i % 7}`, i, run.id, Date.UTC(2026, 0, 1) + i);
  }
})();
store.close();

const server = await startServer({ home, port: 0 });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${server.url}/?token=${server.token}`);
  await page.goto(`${server.url}/#/gallery`);
  await page.locator('.tile').first().waitFor();
  const result = await page.evaluate<Record<string, number | string>>(SCROLL.replace('SECONDS', String(SECONDS)));
  const rows = await page.locator('.wrap .row').count();
  console.log(JSON.stringify({ rows: ROWS, seconds: SECONDS, ...result, domRowsAtEnd: rows }, null, 2));
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(home, { recursive: true, force: true });
}
