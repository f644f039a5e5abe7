// Starts and stops the Parlons server under test, or points at one that is already running.
//
// Environment:
//   PARLONS_BIN               path of the `parlons` binary; started as
//                             `parlons serve --dev --http-addr 127.0.0.1:0 --rtc-port 0 --data-dir <temp>`
//                             (startServer's options drop --dev, add arguments and configuration
//                             environment: PARLONS_SECTION__KEY, e.g. PARLONS_AUTH__OIDC__ISSUER)
//   PARLONS_URL               instead of PARLONS_BIN: an already-running server (ws:// or http:// base URL)
//   LIVEKIT_API_KEY           API key for minted tokens (default `devkey`, the dev-mode key)
//   LIVEKIT_API_SECRET        its secret (default `secret`, the dev-mode secret)
//   PARLONS_EXTRA_ARGS        extra arguments appended to the `serve` command line (split on spaces)
//   PARLONS_START_TIMEOUT_MS  how long to wait for readiness (default 30000)
//   PARLONS_ARTIFACTS_DIR     where server logs, screenshots etc. go (default tests/artifacts)
//   PARLONS_KEEP_DATA=1       keep the server's temporary data directory
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { DeadlineError, waitFor, withDeadline } from './wait.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS_DIR = path.resolve(process.env.PARLONS_ARTIFACTS_DIR || path.join(HERE, '..', 'artifacts'));

/** The ready line printed on stdout by `parlons serve`: `… open http://127.0.0.1:PORT/`. */
export const READY_RE = /open (http:\/\/\S+?)\/?\s*$/;
/** Printed once by `parlons serve` on a first start with no users: `Local admin account: admin / <password>`. */
export const ADMIN_RE = /Local admin account:\s*(\S+)\s*\/\s*(\S+)\s*$/;
// Colours in log lines must not hide the ready line.
const ANSI_RE = /\x1b\[[0-9;]*m/g;

/** A safe file-name stem from a test or suite name. */
export function slugify(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'x';
}

/** A fresh room name, so tests never share a room. */
export function uniqueRoom(prefix = 'room') {
  return `${slugify(prefix)}-${randomUUID().slice(0, 8)}`;
}

export function artifactPath(...parts) {
  const p = path.join(ARTIFACTS_DIR, ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

function timestamp() {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/**
 * The harness's own PARLONS_* variables; the server treats PARLONS_SECTION__KEY as configuration
 * and warns about unknown ones, so they are not passed on (PARLONS_WEBHOOK__URLS etc. are).
 */
export const HARNESS_VARS = ['PARLONS_BIN', 'PARLONS_URL', 'PARLONS_EXTRA_ARGS', 'PARLONS_START_TIMEOUT_MS',
  'PARLONS_ARTIFACTS_DIR', 'PARLONS_KEEP_DATA', 'PARLONS_TEST_RESUME', 'PARLONS_IN_NETNS', 'PARLONS_NO_NETNS',
  'PARLONS_TEST_DATABASE_URL', 'PARLONS_SCHEMATHESIS_MAX_TIME', 'PARLONS_SCHEMATHESIS_EXAMPLES'];

function serverEnv() {
  const env = { ...process.env };
  for (const k of HARNESS_VARS) delete env[k];
  return env;
}

/** A TCP port free on 127.0.0.1 right now (for a server whose URL must be known before it starts). */
export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * Starts the server under test (PARLONS_BIN) or checks the one at PARLONS_URL.
 * Resolves with a Server once it is ready. Options:
 *   name      labels the log file
 *   dev       true (default): `--dev` (LiveKit dev key devkey/secret, anyone may create rooms);
 *             false: production-like; an API key is then configured through the environment
 *             (PARLONS_KEYS__<key>, random, lower case) unless `env` has a PARLONS_KEYS__* already
 *   args      more `serve` arguments
 *   env       more environment (configuration: PARLONS_SECTION__KEY=value)
 *   httpPort  the HTTP port (default 0: any); use freePort() when the URL must be known in
 *             advance (PARLONS_HTTP__PUBLIC_URL, the IdP's redirect URI)
 * Each server gets a fresh temporary --data-dir (an empty SQLite database), removed on stop().
 * `requireManaged: true` throws with PARLONS_URL (tests that need their own server and its stdout).
 */
export async function startServer({ name = 'server', dev = true, args: extraArgs = [], env: extraEnv = {},
  httpPort = 0, requireManaged = false, dataDir: reuseDataDir = null } = {}) {
  let apiKey = process.env.LIVEKIT_API_KEY || 'devkey';
  let apiSecret = process.env.LIVEKIT_API_SECRET || 'secret';
  if (process.env.PARLONS_URL) {
    if (requireManaged) {
      throw new Error('this test starts its own configured server: unset PARLONS_URL and set PARLONS_BIN');
    }
    const s = new Server({ base: process.env.PARLONS_URL, apiKey, apiSecret });
    await s.checkReachable();
    return s;
  }
  const env = { ...extraEnv };
  if (!dev) {
    const configured = Object.keys(env).find((k) => k.startsWith('PARLONS_KEYS__'));
    if (configured) {
      apiKey = configured.slice('PARLONS_KEYS__'.length);
      apiSecret = env[configured];
    } else {
      // figment lower-cases environment keys: keep the key name lower case so `iss` matches
      apiKey = `testkey${randomBytes(4).toString('hex')}`;
      apiSecret = randomBytes(24).toString('base64url');
      env[`PARLONS_KEYS__${apiKey}`] = apiSecret;
    }
  }
  const bin = process.env.PARLONS_BIN;
  if (!bin) {
    throw new Error('set PARLONS_BIN (the parlons binary to start) or PARLONS_URL (a running server)');
  }
  if (!fs.existsSync(bin)) throw new Error(`PARLONS_BIN=${bin} does not exist`);
  // `dataDir` reuses a directory (a restart after a crash); otherwise a fresh one per server.
  const dataDir = reuseDataDir ?? await fsp.mkdtemp(path.join(os.tmpdir(), 'parlons-test-data-'));
  const logFile = artifactPath('logs', `${slugify(name)}-${timestamp()}-${process.pid}.log`);
  const args = ['serve', ...(dev ? ['--dev'] : []), '--http-addr', `127.0.0.1:${httpPort}`, '--rtc-port', '0',
    '--data-dir', dataDir, ...extraArgs];
  if (process.env.PARLONS_EXTRA_ARGS) args.push(...process.env.PARLONS_EXTRA_ARGS.split(/\s+/).filter(Boolean));
  const log = fs.createWriteStream(logFile);
  const shownEnv = Object.entries(env).map(([k, v]) => `${k}=${/SECRET|KEYS__|PASSWORD/.test(k) ? '[redacted]' : v}`);
  log.write(`# ${shownEnv.join(' ')}${shownEnv.length ? ' ' : ''}${bin} ${args.join(' ')}\n`);
  const childEnv = { ...serverEnv(), RUST_LOG: process.env.RUST_LOG || 'info', NO_COLOR: '1', ...env };
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  const s = new Server({ apiKey, apiSecret, child, logFile, log, dataDir, bin, env: childEnv, dev });
  const timeout = Number(process.env.PARLONS_START_TIMEOUT_MS || 30_000);
  try {
    const base = await withDeadline(
      `the server to print "open http://…/" on stdout (log: ${logFile})`,
      s.readyUrl,
      timeout,
    );
    s.setBase(base);
    await waitFor(`GET ${base}/healthz to answer 200`, async () => {
      if (s.exited) throw new Error(`server exited: ${s.exitDescription()}`);
      const r = await fetch(`${base}/healthz`);
      return r.status === 200;
    }, { timeout, interval: 100 });
  } catch (e) {
    const tail = s.tail(60);
    await s.stop().catch(() => {});
    e.message += `\n--- server log tail (${logFile}) ---\n${tail}`;
    throw e;
  }
  return s;
}

/**
 * Whether a stopped server exited as it should after SIGTERM: code 0, or ended by the signal
 * itself (code 143 when a shell wrapper reports it).
 */
export function cleanExit(exit) {
  return !exit || exit.code === 0 || exit.code === 143 || exit.signal === 'SIGTERM';
}

/** A server under test: its URLs, credentials and, when we started it, its process and log. */
export class Server {
  constructor({ base, apiKey, apiSecret, child, logFile, log, dataDir, bin, env, dev = true }) {
    this.apiKey = apiKey;
    this.apiSecret = apiSecret;
    this.child = child ?? null;
    this.logFile = logFile ?? null;
    this.dataDir = dataDir ?? null;
    this.bin = bin ?? null;
    /** the environment the process was started with (for `parlons` CLI calls on the same data) */
    this.env = env ?? null;
    this.dev = dev;
    this.exited = null; // {code, signal} once the process has ended
    this.stopping = false;
    this.logLines = [];
    /** `{username, password}` of the local admin account printed on first start, once seen */
    this.adminAccount = null;
    if (base) this.setBase(base);
    if (child) {
      this.readyUrl = new Promise((resolve, reject) => {
        this.exitedPromise = new Promise((res) => {
          child.on('exit', (code, signal) => {
            this.exited = { code, signal };
            log.write(`# exited code=${code} signal=${signal}\n`);
            res(this.exited);
            reject(new Error(`server exited before it was ready: ${this.exitDescription()}`));
          });
        });
        child.on('error', (e) => reject(new Error(`cannot start ${process.env.PARLONS_BIN}: ${e.message}`)));
        const feed = (stream, scan) => {
          let buf = '';
          stream.on('data', (chunk) => {
            log.write(chunk);
            buf += chunk.toString('utf8');
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).replace(ANSI_RE, '');
              buf = buf.slice(nl + 1);
              this.logLines.push(line);
              if (this.logLines.length > 2000) this.logLines.splice(0, 1000);
              const a = !this.adminAccount && line.match(ADMIN_RE);
              if (a) this.adminAccount = { username: a[1], password: a[2] };
              const m = scan && line.match(READY_RE);
              if (m) resolve(m[1]);
            }
          });
        };
        feed(child.stdout, true);
        feed(child.stderr, false);
      });
      this.readyUrl.catch(() => {});
    }
  }

  setBase(base) {
    const u = new URL(base.replace(/^ws/, 'http'));
    /** http://host:port, no trailing slash */
    this.httpUrl = `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
    /** the LiveKit URL given to SDKs: ws://host:port */
    this.wsUrl = this.httpUrl.replace(/^http/, 'ws');
  }

  /** True when this harness started the process (PARLONS_BIN), false for PARLONS_URL. */
  get managed() {
    return this.child !== null;
  }

  async checkReachable() {
    try {
      await withDeadline(`an HTTP answer from ${this.httpUrl}/`, fetch(`${this.httpUrl}/`), 5000);
    } catch (e) {
      throw new Error(`PARLONS_URL=${process.env.PARLONS_URL} is not reachable: ${e.cause?.message ?? e.message}`);
    }
  }

  exitDescription() {
    return this.exited ? `code ${this.exited.code}, signal ${this.exited.signal}` : 'still running';
  }

  /** The last `n` lines of the server log ('' when we did not start the server). */
  tail(n = 40) {
    if (!this.managed) return '(server not started by the harness: no log)';
    return this.logLines.slice(-n).join('\n');
  }

  /** Appends the log tail (and a crash notice) to a failing test's error. */
  annotate(err) {
    if (!err || typeof err !== 'object' || err.__annotated || !this.managed) return err;
    err.__annotated = true;
    const crash = this.exited && !this.stopping ? `\n!!! the server process exited during the test: ${this.exitDescription()}` : '';
    try {
      err.message = `${err.message}${crash}\n--- server log tail (${this.logFile}) ---\n${this.tail(40)}`;
    } catch {
      /* read-only message: leave it */
    }
    return err;
  }

  /** Sends SIGTERM and waits for the exit. Resolves with {code, signal}; throws if it would not stop. */
  /** Kills the process with SIGKILL (a crash) and keeps its data directory for a restart. */
  async crash() {
    if (!this.managed || this.exited) return this.exited ?? null;
    this.stopping = true;
    this.child.kill('SIGKILL');
    await this.exitedPromise;
    const dir = this.dataDir;
    this.dataDir = null; // the restarted server owns it now
    return dir;
  }

  async stop({ timeout = 10_000 } = {}) {
    if (!this.managed) return null;
    this.stopping = true;
    try {
      if (!this.exited) {
        this.child.kill('SIGTERM');
        try {
          await withDeadline('the server to exit after SIGTERM', this.exitedPromise, timeout);
        } catch (e) {
          if (!(e instanceof DeadlineError)) throw e;
          this.child.kill('SIGKILL');
          await this.exitedPromise;
          throw new Error(`${e.message}; killed with SIGKILL\n--- server log tail ---\n${this.tail(40)}`);
        }
      }
      return this.exited;
    } finally {
      if (this.dataDir && !process.env.PARLONS_KEEP_DATA) {
        await fsp.rm(this.dataDir, { recursive: true, force: true });
      }
    }
  }

  /** The admin password printed on first start (`Local admin account: admin / <password>`), or null. */
  get adminPassword() {
    return this.adminAccount?.password ?? null;
  }

  /**
   * The local admin account printed on first start: waits up to `timeout` ms for the line (it may
   * come right after the ready line). Resolves with `{username, password}`.
   */
  async admin({ timeout = 5000 } = {}) {
    if (!this.managed) throw new Error('the admin password is only known for a server the harness started');
    return waitFor('the server to print "Local admin account: admin / <password>"', () => this.adminAccount,
      { timeout, detail: () => `log tail:\n${this.tail(20)}` });
  }

  /**
   * Runs the `parlons` CLI on this server's data directory and environment:
   * `cli(['user', 'add', 'bob', '--password-stdin'], { input: 'pw\n' })` → {code, stdout, stderr}.
   * `--data-dir <dir>` is appended.
   */
  async cli(args, { input, timeout = 20_000 } = {}) {
    if (!this.managed) throw new Error('the parlons CLI needs a server started by the harness (its data directory)');
    const child = spawn(this.bin, [...args, '--data-dir', this.dataDir], { stdio: ['pipe', 'pipe', 'pipe'], env: this.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const done = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    child.stdin.on('error', () => {}); // a CLI that exits without reading stdin
    child.stdin.end(input ?? '');
    try {
      return await withDeadline(`parlons ${args.join(' ')} to exit`, done, timeout);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }

  /**
   * Creates a local account with `parlons user add <username> --password-stdin [--name N]
   * [--email E] [--admin]`. Resolves with `{username, password}`; throws when the CLI fails.
   */
  async addUser(username, { password = `pw-${randomBytes(9).toString('base64url')}`, name, email, admin = false } = {}) {
    const args = ['user', 'add', username, '--password-stdin'];
    if (name) args.push('--name', name);
    if (email) args.push('--email', email);
    if (admin) args.push('--admin');
    const r = await this.cli(args, { input: `${password}\n` });
    if (r.code !== 0) {
      throw new Error(`parlons ${args.join(' ')} exited with ${r.code ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`);
    }
    return { username, password };
  }

  /** A LiveKit access token minted with the server's API key (livekit-server-sdk). */
  async token({ identity, room, name = identity, grant = {}, ttl = '10m', metadata } = {}) {
    const at = new AccessToken(this.apiKey, this.apiSecret, { identity, name, ttl, metadata });
    at.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, canPublishData: true, ...grant });
    return at.toJwt();
  }

  /** `POST path` with a JSON body; resolves with {status, body} (body parsed when JSON). */
  async postJson(p, body) {
    const r = await fetch(`${this.httpUrl}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, body: json, text };
  }

  /** Product API: creates a room. Resolves with {slug, url}. */
  async createRoom(body = {}) {
    const r = await this.postJson('/api/v1/rooms', body);
    if (r.status !== 201) throw new Error(`POST /api/v1/rooms answered ${r.status}: ${r.text.slice(0, 300)}`);
    if (!r.body?.slug || !r.body?.url) throw new Error(`POST /api/v1/rooms: no slug/url in ${r.text.slice(0, 300)}`);
    return r.body;
  }

  /** Product API: joins a room by slug. Resolves with {url, token, identity}. */
  async joinRoom(slug, name) {
    const r = await this.postJson(`/api/v1/rooms/${encodeURIComponent(slug)}/join`, { name });
    if (r.status < 200 || r.status > 299) {
      throw new Error(`POST /api/v1/rooms/${slug}/join answered ${r.status}: ${r.text.slice(0, 300)}`);
    }
    for (const k of ['url', 'token', 'identity']) {
      if (!r.body?.[k]) throw new Error(`POST /api/v1/rooms/${slug}/join: no ${k} in ${r.text.slice(0, 300)}`);
    }
    return r.body;
  }
}
