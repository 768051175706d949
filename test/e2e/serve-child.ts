// Web mode in a process of its own, so a test can SIGKILL it (with its training jobs) like a crash
// and start it again on the same port, data folder and token. Prints "listening <url>".
import { startServer } from '#main/server/start';

const { HOMEGROWN_E2E_HOME: home, HOMEGROWN_E2E_PORT: port, HOMEGROWN_E2E_TOKEN: token } = process.env;
const server = await startServer({ home, port: Number(port ?? 0), token, service: { backend: 'wasm' } });
process.stdout.write(`listening ${server.url}\n`);
