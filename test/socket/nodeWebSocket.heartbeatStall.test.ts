/**
 * The heartbeat after an event-loop stall longer than heartbeatMs: the server's pong is already
 * in the kernel buffer when the interval (timers phase) runs, before the poll phase reads it; the
 * verdict must wait for that input. The server runs in a child process, so the stall does not
 * stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import { KEY, sleep } from './rawServer';

/** A plain ws server in its own process (blocking the test's event loop does not block it). */
const CHILD_SERVER = `
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => process.stdout.write(wss.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

let child: ChildProcess;
const made: NodeWebSocketAdapter[] = [];
afterEach(async () => {
  for (const s of made.splice(0)) s.ws.terminate();
  child.stdin?.end();
  child.kill();
  await sleep(50);
});

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* a CPU-heavy synchronous task: a big JSON parse, a GC pause, a resampler… */
  }
}

async function startChild(): Promise<string> {
  child = spawn(process.execPath, ['-e', CHILD_SERVER], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return `ws://127.0.0.1:${port}/v1/listen`;
}

it('a healthy, answering server survives one event-loop stall longer than heartbeatMs', async () => {
  const url = await startChild();
  const socket = nodeWebSocket({ heartbeatMs: 200 })({
    url,
    credentials: { scheme: 'token', secret: KEY },
  }) as NodeWebSocketAdapter;
  made.push(socket);
  await new Promise<void>((r) => socket.addEventListener('open', () => r()));
  let pongs = 0;
  socket.ws.on('pong', () => pongs++);
  let closedCode: number | undefined;
  socket.addEventListener('close', (e) => (closedCode = e.code));
  // Right after the heartbeat's next ping goes out, block the loop for 300 ms (> heartbeatMs).
  // The server (another process) answers within a millisecond; the pong waits in the kernel.
  const ws = socket.ws;
  const ping = ws.ping.bind(ws);
  let blocked = false;
  ws.ping = ((...args: Parameters<typeof ws.ping>) => {
    ping(...args);
    if (pongs >= 2 && !blocked) {
      blocked = true;
      setImmediate(() => busy(300));
    }
  }) as typeof ws.ping;
  await sleep(1500);
  expect(blocked).toBe(true);
  expect(pongs).toBeGreaterThanOrEqual(2); // the server answers pings
  expect(closedCode).toBeUndefined();
});
