/**
 * The API (server/app.ts) behind a plain node:http server, for tests that need a real server process
 * they can kill: the same Hono app the production server (server/entry.ts) serves at /api/, with the database of
 * DATABASE_URL (WAL, synchronous=FULL, as in production). Prints `listening <port>` when ready.
 * Usage: node --import tsx tests/support/api-server.ts   (PORT=0 picks a free port)
 * The database is opened on the first request (db/client.ts getDb), not at start.
 */
import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { app } from '@server/app';

// Served as the production server serves /api/ (server/entry.ts).
const server = http.createServer(getRequestListener((request, env) => app.fetch(request, { ip: env.incoming.socket.remoteAddress })));
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
