// Property-based fuzzing of the product API from its own OpenAPI document: schemathesis
// generates requests for every operation of GET /api/v1/openapi.json and fails on any 5xx
// (check `not_a_server_error`) or a crash of the server. Started by run-schemathesis.sh, inside
// a loopback-only network namespace.
//
// Three passes, each bounded by --max-time (the whole run takes about PARLONS_SCHEMATHESIS_MAX_TIME
// seconds plus start-up):
//   anonymous  no credentials (anonymous room creation on, so writes go deep)
//   session    the local admin's session cookie + X-CSRF-Token; {slug} fixed to a room it owns
//   bearer     a LiveKit-style JWT with roomCreate, roomList, roomAdmin for another room
//
// Environment: PARLONS_BIN / PARLONS_URL (see lib/server.mjs), PARLONS_SCHEMATHESIS_MAX_TIME
// (total seconds, default 150), PARLONS_SCHEMATHESIS_EXAMPLES (max examples per operation and
// phase, default 25), PARLONS_SCHEMATHESIS_PASSES (e.g. "anonymous,bearer"), SCHEMATHESIS_ARGS
// (more `schemathesis run` arguments, split on spaces), SCHEMATHESIS_SEED.
// Artifacts: tests/artifacts/schemathesis-<pass>.xml (JUnit), the server log in artifacts/logs/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, apiJwt, decodeJwt, describeRes, localLogin } from '../lib/api.mjs';
import { artifactPath, cleanExit, startServer } from '../lib/server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ST = path.join(HERE, '..', '.venv', 'bin', 'schemathesis');
const TOTAL = Number(process.env.PARLONS_SCHEMATHESIS_MAX_TIME || 150);
const EXAMPLES = Number(process.env.PARLONS_SCHEMATHESIS_EXAMPLES || 25);
const PASSES = (process.env.PARLONS_SCHEMATHESIS_PASSES || 'anonymous,session,bearer').split(',').map((s) => s.trim()).filter(Boolean);
const SHARE = { anonymous: 0.4, session: 0.3, bearer: 0.3 };

const log = (...a) => console.log('[schemathesis]', ...a);

if (!fs.existsSync(ST)) {
  console.error(`${ST} not found: run tests/setup.sh first`);
  process.exit(2);
}

/** The base URL schemathesis must use so that the document's paths land where the server serves them. */
function baseUrlFor(httpUrl, doc) {
  const server = doc.servers?.[0]?.url;
  if (!server || server === '/') return httpUrl;
  const prefix = new URL(server, `${httpUrl}/`).pathname.replace(/\/$/, '');
  const paths = Object.keys(doc.paths ?? {});
  // Paths that already carry the prefix (e.g. "/api/v1/rooms" with servers "/api/v1") would get it twice.
  if (prefix && paths.length && paths.every((p) => p.startsWith(`${prefix}/`))) return httpUrl;
  return new URL(server, `${httpUrl}/`).href.replace(/\/$/, '');
}

/**
 * Operations a pass leaves out, as regexes of schemathesis' operation names ("METHOD /path"; the
 * document's paths may or may not carry the /api/v1 prefix): they would end the pass's session
 * or delete its room.
 */
const KEEP_SESSION = ['^POST (/api/v1)?/auth/logout$'];
const KEEP_ROOM = ['^DELETE (/api/v1)?/rooms/\\{slug\\}$'];

function runSchemathesis(pass, { schemaUrl, baseUrl, headers = {}, parameters = {}, disable = [], seconds, workDir }) {
  const config = path.join(workDir, `${pass}.toml`);
  const lines = ['[parameters]', ...Object.entries(parameters).map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`)];
  for (const re of disable) lines.push('', '[[operations]]', `include-name-regex = ${JSON.stringify(re)}`, 'enabled = false');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const junit = artifactPath(`schemathesis-${pass}.xml`);
  const args = ['--config-file', config, 'run', schemaUrl, '--url', baseUrl,
    '--checks', 'not_a_server_error',
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', String(EXAMPLES),
    '--max-time', String(Math.max(5, Math.round(seconds))),
    '--request-timeout', '10',
    '--suppress-health-check', 'all',
    '--generation-database', 'none',
    '--no-color',
    '--report', 'junit', '--report-junit-path', junit];
  if (process.env.SCHEMATHESIS_SEED) args.push('--seed', process.env.SCHEMATHESIS_SEED);
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (process.env.SCHEMATHESIS_ARGS) args.push(...process.env.SCHEMATHESIS_ARGS.split(/\s+/).filter(Boolean));
  const shown = args.map((a) => (/^(Cookie|X-CSRF-Token|Authorization):/i.test(a) ? `${a.split(':')[0]}: [redacted]` : a));
  log(`pass ${pass}: schemathesis ${shown.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(ST, args, { cwd: workDir, stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PYTHONUNBUFFERED: '1', NO_COLOR: '1' } });
    // --max-time bounds the run; this is the backstop for a hung request or process.
    const kill = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(kill);
      resolve({ pass, code, signal, junit });
    });
  });
}

async function main() {
  const server = await startServer({ name: 'schemathesis', dev: false,
    env: { PARLONS_ROOM__ALLOW_ANONYMOUS_CREATE: 'true' } });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parlons-schemathesis-'));
  const results = [];
  let fatal = null;
  try {
    const schemaUrl = `${server.httpUrl}/api/v1/openapi.json`;
    const docRes = await fetch(schemaUrl);
    const docText = await docRes.text();
    if (docRes.status !== 200) throw new Error(`GET ${schemaUrl} answered ${docRes.status}: ${docText.slice(0, 300)}`);
    const doc = JSON.parse(docText);
    const baseUrl = baseUrlFor(server.httpUrl, doc);
    log(`OpenAPI ${doc.openapi}, ${Object.keys(doc.paths ?? {}).length} paths; base URL ${baseUrl}`);

    // Data for the authenticated passes: the admin's rooms (one per pass, as a pass may delete it).
    let admin = null;
    if (server.managed) {
      const { username, password } = await server.admin();
      admin = (await localLogin(server.httpUrl, username, password)).client;
    } else {
      log('PARLONS_URL: no admin password known; the session pass is skipped');
    }
    const makeRoom = async (client, name) => {
      const r = await client.post('/api/v1/rooms', { name, access: 'trusted' });
      if (r.status !== 201) throw new Error(`creating the fuzzing room answered ${describeRes(r)}`);
      const j = await client.post(`/api/v1/rooms/${r.body.slug}/join`, { name: 'Fuzz host' });
      const lkRoom = j.body?.token ? decodeJwt(j.body.token).video?.room : r.body.slug;
      return { slug: r.body.slug, lkRoom };
    };
    const bearerBootstrap = apiJwt(server.apiKey, server.apiSecret, { roomCreate: true, roomList: true }, { ttl: TOTAL + 900 });
    const bearerClient = new ApiClient(server.httpUrl, { bearer: bearerBootstrap, label: 'bearer' });

    // Rooms are made before any pass: fuzzing spends the per-IP room-creation budget (429).
    const rooms = {};
    if (PASSES.includes('session') && admin) rooms.session = await makeRoom(admin, 'Fuzzed by session');
    if (PASSES.includes('bearer')) rooms.bearer = await makeRoom(admin ?? bearerClient, 'Fuzzed by bearer');

    for (const pass of PASSES) {
      const seconds = TOTAL * (SHARE[pass] ?? 1 / PASSES.length);
      let opts;
      if (pass === 'anonymous') {
        opts = {};
      } else if (pass === 'session') {
        if (!admin) continue;
        const room = rooms.session;
        opts = {
          headers: { Cookie: admin.sessionCookie, 'X-CSRF-Token': admin.csrf },
          parameters: { 'path.slug': room.slug },
          disable: [...KEEP_SESSION, ...KEEP_ROOM],
        };
      } else if (pass === 'bearer') {
        const room = rooms.bearer;
        const token = apiJwt(server.apiKey, server.apiSecret,
          { roomCreate: true, roomList: true, roomAdmin: true, room: room.lkRoom }, { ttl: TOTAL + 900 });
        opts = { headers: { Authorization: `Bearer ${token}` }, parameters: { 'path.slug': room.slug }, disable: KEEP_ROOM };
      } else {
        throw new Error(`unknown pass ${pass} (anonymous, session, bearer)`);
      }
      const r = await runSchemathesis(pass, { schemaUrl, baseUrl, seconds, workDir, ...opts });
      results.push(r);
      if (server.exited) {
        fatal = `the server exited during the ${pass} pass: ${server.exitDescription()}`;
        break;
      }
    }
  } catch (e) {
    fatal = e.stack ?? String(e);
  } finally {
    const panics = server.managed ? server.logLines.filter((l) => /panicked at|RUST_BACKTRACE/.test(l)) : [];
    if (panics.length) fatal = `${fatal ? `${fatal}\n` : ''}the server log shows panics:\n${panics.slice(0, 10).join('\n')}`;
    if (fatal) console.error(`--- server log tail (${server.logFile}) ---\n${server.tail(40)}`);
    let exit = null;
    try {
      exit = await server.stop();
    } catch (e) {
      fatal = `${fatal ? `${fatal}\n` : ''}${e.message}`;
    }
    if (exit && server.managed && !cleanExit(exit)) {
      fatal = `${fatal ? `${fatal}\n` : ''}the server did not exit cleanly on SIGTERM: code ${exit.code}, signal ${exit.signal}`;
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  console.log('\n== schemathesis summary');
  for (const r of results) {
    const verdict = r.code === 0 ? 'no server errors' : r.signal ? `killed (${r.signal})` : `FAILED (exit ${r.code})`;
    console.log(`   ${r.pass}: ${verdict}; JUnit ${r.junit}`);
  }
  if (fatal) console.log(`   !! ${fatal.split('\n').join('\n      ')}`);
  console.log(`   server log: ${server.logFile}`);
  const failed = results.filter((r) => r.code !== 0).length + (fatal ? 1 : 0);
  console.log(`schemathesis: ${results.length - results.filter((r) => r.code !== 0).length} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
