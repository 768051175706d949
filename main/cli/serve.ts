// `homegrown serve`: the app in a browser (web mode). Prints the URL with its token, as Jupyter does;
// Ctrl-C pauses any training (each run writes a checkpoint) before the server exits.
import { Command } from 'commander';
import { startServer } from '../server/start';
import { wholeNumber } from './whole-number';

export function serveCommand(): Command {
  return new Command('serve')
    .option('--host <address>', 'address to listen on, e.g. 0.0.0.0 to reach it from another machine', '127.0.0.1')
    .option('--allow-host <name...>', 'another host name the browser may use to reach it (requests naming any other host are refused)')
    .option('--port <n>', 'port (default: a free one)', wholeNumber('port'), 0)
    .option('--home <dir>', 'app data folder (default: HOMEGROWN_HOME or the per-OS location)')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (o: { host: string; port: number; home?: string; backend?: string; allowHost?: string[] }) => {
      const server = await startServer({
        host: o.host,
        port: o.port,
        home: o.home,
        allowHosts: o.allowHost,
        service: { backend: o.backend },
      });
      const url = new URL(server.url);
      if (o.host === '0.0.0.0' || o.host === '::') url.hostname = 'localhost';
      process.stdout.write(
        `Homegrown is running at:\n  ${url.origin}/?token=${server.token}\n(data: ${server.service.store.files.root}; Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          if (stopping) process.exit(130);
          stopping = true;
          process.stderr.write('\nstopping: pausing any training runs (each writes a checkpoint; Ctrl-C again to quit at once)…\n');
          server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
