/**
 * The API (server/app.ts) behind a plain node:http server, for tests that need a real server process
 * they can kill: the same Hono app the Astro server mounts at /api, with the database of
 * DATABASE_URL (WAL, synchronous=FULL, as in production). Prints `listening <port>` when ready.
 * Usage: node --import tsx tests/support/api-server.ts   (PORT=0 picks a free port)
 * The database is opened on the first request (db/client.ts getDb), not at start.
 */
import http from 'node:http';
import { app } from '../../server/app';

const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  const response = await app.fetch(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }), { ip: req.socket.remoteAddress });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => (out[k] = v));
  const setCookie = response.headers.getSetCookie();
  if (setCookie.length) out['set-cookie'] = setCookie;
  res.writeHead(response.status, out);
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.keepAliveTimeout = 10_000;
const listen = () =>
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
  });
// WAIT_FOR_START=1: load everything, say `loaded`, and open the database and listen only on a
// `start` line on stdin (a test starts the process early and brings it up after a crash).
if (process.env.WAIT_FOR_START === '1') {
  process.stdout.write('loaded\n');
  process.stdin.once('data', listen);
} else listen();
