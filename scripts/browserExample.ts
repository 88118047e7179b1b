/**
 * A small dev server for the browser examples (`examples/browser/`, or `examples/angular/`): bundles
 * the page's TypeScript with esbuild (platform browser; `deepgram-rx` resolves to the library's
 * source through tsconfig paths) and serves the page and the bundle over HTTP on loopback. Used by
 * `scripts/browser-example.mjs` and by the e2e tests.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { context as esbuildContext, type BuildContext } from 'esbuild';

/** The repository root when this file runs from `scripts/` (jest); bundled copies pass `root`. */
const defaultRoot = resolve(__dirname, '..');

/** The examples a page can be served for: their directories under `examples/`. */
export type BrowserExampleName = 'browser' | 'angular';

/** Which example, and where to listen. */
export interface BrowserExampleConfig {
  /** `examples/browser` (default) or `examples/angular` (its component, bootstrapped by `main.ts`). */
  example?: BrowserExampleName;
  /** Interface; default `127.0.0.1` (loopback only: the page may carry a key in its query string). */
  host?: string;
  /** TCP port; default 0 (a free one). */
  port?: number;
  /** The repository's root directory (where `examples/` is); default: this file's parent directory. */
  root?: string;
}

/** A running dev server. */
export interface BrowserExampleServer {
  /** `http://127.0.0.1:PORT/`: the page. */
  readonly url: string;
  /** Stops listening, drops open connections and disposes the bundler. */
  close(): Promise<void>;
}

/**
 * Bundles `examples/NAME/main.ts` for the browser (incrementally, on every request of `main.js`),
 * with the example's own tsconfig (the Angular one turns on the decorators Angular's JIT expects).
 */
function bundler(root: string, example: BrowserExampleName): Promise<BuildContext> {
  return esbuildContext({
    absWorkingDir: root,
    entryPoints: [resolve(root, 'examples', example, 'main.ts')],
    tsconfig: resolve(root, 'examples', example, 'tsconfig.json'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Starts the dev server: `GET /` is the page, `GET /main.js` the bundle (rebuilt when requested,
 * so edits show on reload); anything else is 404. A build error is served as a 500 with esbuild's
 * messages.
 *
 * @example
 * ```ts
 * const server = await startBrowserExample();
 * console.log(`${server.url}?url=ws://127.0.0.1:8080/v1/listen`);
 * ```
 */
export async function startBrowserExample(config: BrowserExampleConfig = {}): Promise<BrowserExampleServer> {
  const root = config.root ?? defaultRoot;
  const example = config.example ?? 'browser';
  const exampleDir = resolve(root, 'examples', example);
  const build = await bundler(root, example);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
    if (path === '/' || path === '/index.html') {
      return send(res, 200, 'text/html; charset=utf-8', await readFile(resolve(exampleDir, 'index.html')));
    }
    if (path === '/main.js') {
      try {
        const result = await build.rebuild();
        return send(res, 200, 'text/javascript; charset=utf-8', result.outputFiles![0]!.contents);
      } catch (error) {
        const errors = (error as { errors?: { text: string }[] }).errors ?? [];
        const text = errors.map((e) => e.text).join('\n') || String(error);
        return send(res, 500, 'text/plain; charset=utf-8', `bundling examples/${example} failed:\n${text}\n`);
      }
    }
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', `${String(error)}\n`));
  });
  const host = config.host ?? '127.0.0.1';
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(config.port ?? 0, host, () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await build.dispose();
    },
  };
}
