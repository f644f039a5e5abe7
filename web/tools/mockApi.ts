import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

/**
 * A development-only stand-in for the Parlons product API (`/api/v1/*`, docs/api.md), so the
 * pages can be exercised without a server. Imported by `vite.config.ts` only when
 * `PARLONS_MOCK_API=1`; it is never part of the browser bundle. In memory, and deliberately
 * small: a local account `ada` / `password`, sessions with CSRF checks, rooms, and joins whose
 * outcome the room code picks:
 *
 * - `missing-…` → 404 `room_not_found`; `full-…`, `ended-…`, `removed-…` → 403 refusals;
 * - `lobby-…` → knock; a host admits or denies (`…/lobby/{id}/admit|deny`); with `lobby-admit-…`
 *   or `lobby-deny-…` the mock decides by itself after two polls;
 * - anything else → enter. The lobby of `abc-defg-hij` always has two people waiting, for the
 *   meeting preview (`/dev/meeting.html?host=1`). Moderation calls answer 204.
 *
 * Recordings (docs/api.md, "Recordings"): start (409 `recording_running` while one runs,
 * `meeting_not_running` for `ended-…` rooms), stop, read, list (signed in, or a bearer token),
 * delete (409 while running). `abc-defg-hij` has three past recordings (finished, recovered,
 * failed); their file URLs answer 404 `file_not_found`, since the mock has no media. A started
 * recording gets one file per "participant" when stopped.
 *
 * The join answer points at `PARLONS_MOCK_LIVEKIT_URL` (default: a closed port), so joining
 * fails to connect unless a LiveKit-compatible server is running there. With
 * `PARLONS_MOCK_LIVEKIT_KEY` and `PARLONS_MOCK_LIVEKIT_SECRET` set (`devkey` / `secret` of
 * `livekit-server --dev`), the tokens are real LiveKit access tokens for that server.
 */
export function mockApi(): Plugin {
  const middleware = createMockMiddleware();
  return {
    name: 'parlons-mock-api',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}

const SLUG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

function randomSlug(): string {
  const part = (n: number) =>
    Array.from({ length: n }, () => SLUG_ALPHABET[Math.floor(Math.random() * 26)]).join('');
  return `${part(3)}-${part(4)}-${part(3)}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A LiveKit access token (HS256 JWT with a video grant), as the real server mints them. */
function livekitToken(
  key: string,
  secret: string,
  room: string,
  identity: string,
  name: string,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: key,
      sub: identity,
      name,
      nbf: now - 10,
      exp: now + 6 * 3600,
      jti: randomUUID(),
      video: {
        room,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
        canUpdateOwnMetadata: true,
      },
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${base64url(signature)}`;
}

interface MockUser {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly email: string | null;
  readonly is_admin: boolean;
}

interface MockRoom {
  slug: string;
  name: string;
  owner: string | null;
  access: 'public' | 'trusted' | 'restricted';
  max_participants: number;
  locked: boolean;
  publish: Record<'camera' | 'microphone' | 'screen_share', 'everyone' | 'hosts'>;
  scheduled_at: string | null;
  created_at: string;
  last_used_at: string | null;
}

interface MockRecordingFile {
  kind: 'video' | 'audio' | 'screen';
  identity: string;
  name: string;
  codec: string;
  start_ms: number;
  end_ms: number | null;
  status: 'recording' | 'finished' | 'recovered' | 'failed';
  url: string;
}

interface MockRecording {
  id: string;
  room: string;
  mode: 'video' | 'audio';
  transcribe: boolean;
  status: 'recording' | 'finished' | 'recovered' | 'failed';
  error: string | null;
  started_at: string;
  stopped_at: string | null;
  expires_at: string | null;
  files: MockRecordingFile[];
  composite_url: string | null;
  composite_status: string | null;
  composite_progress: number;
  composite_error: string | null;
}

interface Knock {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly signed_in: boolean;
  readonly since: number;
  state: 'wait' | 'admitted' | 'denied';
  reason: string | null;
  polls: number;
}

const ADA: MockUser = {
  id: 'US_ada',
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.org',
  is_admin: true,
};

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name) out[name] = value.join('=');
  }
  return out;
}

function createMockMiddleware(): Connect.NextHandleFunction {
  const rooms = new Map<string, MockRoom>();
  const sessions = new Map<string, { user: MockUser; csrf: string }>();
  const knocks = new Map<string, Knock>();
  let failedLogins = 0;
  const livekitUrl = process.env.PARLONS_MOCK_LIVEKIT_URL ?? 'ws://127.0.0.1:9';
  const now = () => new Date().toISOString();
  const seed = (slug: string, name: string, minutesAgo: number) => {
    const id = `seed-${knocks.size + 1}`;
    const since = Date.now() - minutesAgo * 60_000;
    knocks.set(id, {
      id,
      slug,
      name,
      signed_in: false,
      since,
      state: 'wait',
      reason: null,
      polls: 0,
    });
  };
  seed('abc-defg-hij', 'Grace Hopper', 2);
  seed('abc-defg-hij', 'Alan Turing', 1);

  const recordings = new Map<string, MockRecording>();
  const iso = (ms: number) => new Date(ms).toISOString();
  const file = (
    id: string,
    kind: MockRecordingFile['kind'],
    identity: string,
    name: string,
    start_ms: number,
    end_ms: number | null,
    status: MockRecordingFile['status'] = 'finished',
  ): MockRecordingFile => {
    const ext = kind === 'audio' ? 'ogg' : 'webm';
    return {
      kind,
      identity,
      name,
      codec: kind === 'audio' ? 'opus' : 'vp8+opus',
      start_ms,
      end_ms,
      status,
      url: `/api/v1/recordings/${id}/files/${identity}-${kind}.${ext}`,
    };
  };
  const seedRecording = (
    id: string,
    daysAgo: number,
    minutes: number,
    patch: Partial<MockRecording>,
  ) => {
    const started = Date.now() - daysAgo * 86_400_000;
    recordings.set(id, {
      id,
      room: 'abc-defg-hij',
      mode: 'video',
      transcribe: false,
      status: 'finished',
      error: null,
      started_at: iso(started),
      stopped_at: iso(started + minutes * 60_000),
      expires_at: iso(started + 30 * 86_400_000),
      files: [],
      composite_url: null,
      composite_status: null,
      composite_progress: 0,
      composite_error: null,
      ...patch,
    });
  };
  seedRecording('recseed1', 1, 42, {
    transcribe: true,
    files: [
      file('recseed1', 'video', 'u-US_ada', 'Ada Lovelace', 0, 2_520_000),
      file('recseed1', 'screen', 'u-US_ada', 'Ada Lovelace', 600_000, 900_000),
      file('recseed1', 'video', 'g-grace', 'Grace Hopper', 12_000, 2_520_000),
    ],
  });
  seedRecording('recseed2', 3, 15, {
    mode: 'audio',
    status: 'recovered',
    files: [
      file('recseed2', 'audio', 'u-US_ada', 'Ada Lovelace', 0, 899_000, 'recovered'),
      file('recseed2', 'audio', 'g-alan', 'Alan Turing', 65_000, 899_000, 'recovered'),
    ],
  });
  seedRecording('recseed3', 5, 0, {
    status: 'failed',
    error: 'disk full',
  });
  const runningIn = (slug: string) =>
    [...recordings.values()].find((r) => r.room === slug && r.status === 'recording');
  const newest = (a: MockRecording, b: MockRecording) => b.started_at.localeCompare(a.started_at);

  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/auth/oidc/login')) {
      res.statusCode = 302;
      res.setHeader(
        'location',
        `/login?next=${encodeURIComponent(url.searchParams.get('next') ?? '/')}`,
      );
      res.end();
      return;
    }
    if (!url.pathname.startsWith('/api/v1/')) {
      next();
      return;
    }
    void handle(req, res, url).catch(() =>
      send(res, 400, { code: 'invalid_json', message: 'Invalid JSON body' }),
    );
  };

  function roomOut(room: MockRoom, host: string, user: MockUser | null) {
    const live = [...knocks.values()].filter((k) => k.slug === room.slug && k.state === 'admitted');
    return {
      ...room,
      owner: undefined,
      url: `http://${host}/r/${room.slug}`,
      my_role: user && room.owner === user.id ? 'owner' : null,
      active: live.length > 0,
      participants: live.length,
      recording: runningIn(room.slug)?.id ?? null,
    };
  }

  function getRoom(slug: string): MockRoom {
    let room = rooms.get(slug);
    if (!room) {
      room = {
        slug,
        name: slug,
        owner: null,
        access: 'public',
        max_participants: 0,
        locked: false,
        publish: { camera: 'everyone', microphone: 'everyone', screen_share: 'everyone' },
        scheduled_at: null,
        created_at: now(),
        last_used_at: null,
      };
      rooms.set(slug, room);
    }
    return room;
  }

  function enterAnswer(host: string, slug: string, name: string, user: MockUser | null) {
    const room = getRoom(slug);
    const identity = user ? `u-${user.id}` : `g-${Math.random().toString(36).slice(2, 8)}`;
    const role = user ? (room.owner === user.id ? 'owner' : 'user') : 'guest';
    const key = process.env.PARLONS_MOCK_LIVEKIT_KEY;
    const secret = process.env.PARLONS_MOCK_LIVEKIT_SECRET;
    room.last_used_at = now();
    return {
      status: 'enter',
      url: livekitUrl,
      token: key && secret ? livekitToken(key, secret, slug, identity, name) : 'mock-token',
      identity,
      role,
      room: roomOut(room, host, user),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const host = req.headers.host ?? 'localhost';
    const method = req.method ?? 'GET';
    const path = url.pathname.slice('/api/v1'.length);
    const sid = cookies(req).parlons_session;
    const session = sid ? sessions.get(sid) : undefined;
    const user = session?.user ?? null;
    const bearer = (req.headers.authorization ?? '').startsWith('Bearer ');
    // As the server: a write authenticated by the session cookie needs the CSRF header.
    if (method !== 'GET' && session && !bearer && req.headers['x-csrf-token'] !== session.csrf) {
      send(res, 403, { code: 'csrf_failed', message: 'Missing or wrong X-CSRF-Token' });
      return;
    }
    const empty = () => {
      res.statusCode = 204;
      res.end();
    };

    if (method === 'GET' && path === '/config') {
      send(res, 200, {
        version: '0.0.0-mock',
        dev: true,
        anonymous_rooms: process.env.PARLONS_MOCK_ANONYMOUS_ROOMS === '1',
        auth: { local: true, oidc: { name: 'ProConnect' }, force_idp_names: false },
      });
      return;
    }
    if (method === 'GET' && path === '/me') {
      send(res, 200, user ? { user, csrf: session?.csrf } : { user: null, csrf: null });
      return;
    }
    if (method === 'POST' && path === '/auth/login') {
      const body = await readJson(req);
      if (failedLogins >= 5) {
        send(res, 429, { code: 'rate_limited', message: 'Too many attempts' });
        return;
      }
      if (body.username !== ADA.username || body.password !== 'password') {
        failedLogins += 1;
        send(res, 401, { code: 'invalid_credentials', message: 'Wrong username or password' });
        return;
      }
      failedLogins = 0;
      const id = randomUUID();
      const csrf = randomUUID();
      sessions.set(id, { user: ADA, csrf });
      res.setHeader('set-cookie', `parlons_session=${id}; Path=/; HttpOnly; SameSite=Lax`);
      send(res, 200, { user: ADA, csrf });
      return;
    }
    if (method === 'POST' && path === '/auth/logout') {
      if (sid) sessions.delete(sid);
      res.setHeader('set-cookie', 'parlons_session=; Path=/; Max-Age=0');
      send(res, 200, { redirect: null });
      return;
    }
    if (path === '/rooms' && method === 'GET') {
      if (!user) {
        send(res, 401, { code: 'unauthenticated', message: 'Sign in first' });
        return;
      }
      const mine = [...rooms.values()].filter((r) => r.owner === user.id).reverse();
      send(res, 200, { rooms: mine.map((r) => roomOut(r, host, user)) });
      return;
    }
    if (path === '/rooms' && method === 'POST') {
      if (!user && process.env.PARLONS_MOCK_ANONYMOUS_ROOMS !== '1') {
        send(res, 401, { code: 'unauthenticated', message: 'Sign in to create rooms' });
        return;
      }
      const body = await readJson(req);
      const room = getRoom(randomSlug());
      Object.assign(room, body, { owner: user?.id ?? null });
      if (typeof body.name !== 'string' || !body.name) room.name = room.slug;
      send(res, 201, roomOut(room, host, user));
      return;
    }

    const recordingMatch = /^\/recordings\/([^/]+)(\/stop|\/files\/[^/]+)?$/.exec(path);
    if (recordingMatch?.[1]) {
      if (!user && !bearer) {
        return send(res, 401, { code: 'unauthenticated', message: 'Sign in first' });
      }
      const rec = recordings.get(decodeURIComponent(recordingMatch[1]));
      const action = recordingMatch[2] ?? '';
      if (!rec)
        return send(res, 404, { code: 'recording_not_found', message: 'No such recording' });
      if (action === '' && method === 'GET') return send(res, 200, rec);
      if (action === '' && method === 'DELETE') {
        if (rec.status === 'recording') {
          return send(res, 409, { code: 'recording_running', message: 'Stop it first' });
        }
        recordings.delete(rec.id);
        return empty();
      }
      if (action === '/stop' && method === 'POST') {
        if (rec.status === 'recording') {
          const length = Date.now() - Date.parse(rec.started_at);
          rec.status = 'finished';
          rec.stopped_at = now();
          rec.expires_at = iso(Date.now() + 30 * 86_400_000);
          rec.files =
            rec.mode === 'audio'
              ? [file(rec.id, 'audio', 'u-US_ada', 'Ada Lovelace', 0, length)]
              : [file(rec.id, 'video', 'u-US_ada', 'Ada Lovelace', 0, length)];
        }
        return send(res, 200, rec);
      }
      if (action.startsWith('/files/') && method === 'GET') {
        return send(res, 404, { code: 'file_not_found', message: 'The mock has no media' });
      }
      return send(res, 404, { code: 'not_found', message: 'Unknown API path' });
    }

    const match = /^\/rooms\/([^/]+)(\/.*)?$/.exec(path);
    if (!match?.[1]) {
      send(res, 404, { code: 'not_found', message: 'Unknown API path' });
      return;
    }
    const slug = decodeURIComponent(match[1]);
    const rest = match[2] ?? '';
    if (slug.startsWith('missing')) {
      send(res, 404, { code: 'room_not_found', message: `Room ${slug} does not exist` });
      return;
    }
    const room = getRoom(slug);

    if (rest === '' && method === 'GET') return send(res, 200, roomOut(room, host, user));
    if (rest === '' && method === 'PATCH') {
      Object.assign(room, await readJson(req));
      return send(res, 200, roomOut(room, host, user));
    }
    if (rest === '' && method === 'DELETE') {
      rooms.delete(slug);
      return empty();
    }
    if (rest === '/invite.ics') {
      res.setHeader('content-type', 'text/calendar');
      res.end(
        `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:${room.name}\r\nURL:http://${host}/r/${slug}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      );
      return;
    }
    if (rest === '/join' && method === 'POST') {
      const body = await readJson(req);
      const name = user ? user.name : typeof body.name === 'string' ? body.name.trim() : '';
      if (!name || name.length > 64) {
        return send(res, 400, {
          code: 'invalid_name',
          message: 'The display name must be 1 to 64 characters',
        });
      }
      for (const [prefix, code] of [
        ['full-', 'room_full'],
        ['ended-', 'meeting_ended'],
        ['removed-', 'removed'],
      ]) {
        if (slug.startsWith(prefix as string)) {
          return send(res, 403, { status: 'refused', code, message: code, reason: null });
        }
      }
      if (slug.startsWith('lobby-') || (room.locked && room.owner !== user?.id)) {
        const id = randomUUID();
        knocks.set(id, {
          id,
          slug,
          name,
          signed_in: !!user,
          since: Date.now(),
          state: 'wait',
          reason: null,
          polls: 0,
        });
        return send(res, 202, { status: 'wait', lobby_id: id, poll_after_ms: 1000 });
      }
      return send(res, 200, enterAnswer(host, slug, name, user));
    }
    if (rest === '/lobby' && method === 'GET') {
      const waiting = [...knocks.values()].filter((k) => k.slug === slug && k.state === 'wait');
      return send(res, 200, {
        waiting: waiting.map(({ id, name, signed_in, since }) => ({ id, name, signed_in, since })),
      });
    }
    if (rest === '/lobby/admit-all' && method === 'POST') {
      for (const k of knocks.values())
        if (k.slug === slug && k.state === 'wait') k.state = 'admitted';
      return empty();
    }
    const lobby = /^\/lobby\/([^/]+)(\/admit|\/deny)?$/.exec(rest);
    const knock = lobby?.[1] ? knocks.get(decodeURIComponent(lobby[1])) : undefined;
    if (lobby && !knock) {
      return send(res, 404, { code: 'knock_not_found', message: 'This lobby entry expired' });
    }
    if (lobby && knock) {
      if (lobby[2] === '/admit') knock.state = 'admitted';
      else if (lobby[2] === '/deny') {
        const body = await readJson(req);
        knock.state = 'denied';
        knock.reason = typeof body.reason === 'string' ? body.reason : null;
      } else if (method === 'DELETE') knocks.delete(knock.id);
      else {
        knock.polls += 1;
        if (knock.polls >= 2 && slug.startsWith('lobby-admit-')) knock.state = 'admitted';
        if (knock.polls >= 2 && slug.startsWith('lobby-deny-')) {
          knock.state = 'denied';
          knock.reason = 'This meeting is for the project team only.';
        }
        if (knock.state === 'denied') {
          return send(res, 403, {
            status: 'refused',
            code: 'denied',
            message: 'Denied',
            reason: knock.reason,
          });
        }
        if (knock.state === 'admitted')
          return send(res, 200, enterAnswer(host, slug, knock.name, user));
        return send(res, 200, { status: 'wait', lobby_id: knock.id, poll_after_ms: 1000 });
      }
      return empty();
    }
    if (rest === '/recordings' && method === 'GET') {
      if (!user && !bearer) {
        return send(res, 401, { code: 'unauthenticated', message: 'Sign in first' });
      }
      const list = [...recordings.values()].filter((r) => r.room === slug).sort(newest);
      return send(res, 200, { recordings: list });
    }
    if (rest === '/recordings' && method === 'POST') {
      const body = await readJson(req);
      if (body.mode !== undefined && body.mode !== 'video' && body.mode !== 'audio') {
        return send(res, 400, { code: 'invalid_mode', message: 'mode is video or audio' });
      }
      if (slug.startsWith('ended-')) {
        return send(res, 409, { code: 'meeting_not_running', message: 'No meeting runs' });
      }
      if (runningIn(slug)) {
        return send(res, 409, { code: 'recording_running', message: 'A recording runs' });
      }
      const rec: MockRecording = {
        id: randomUUID().replaceAll('-', ''),
        room: slug,
        mode: body.mode === 'audio' ? 'audio' : 'video',
        transcribe: body.transcribe === true,
        status: 'recording',
        error: null,
        started_at: now(),
        stopped_at: null,
        expires_at: null,
        files: [],
        composite_url: null,
        composite_status: null,
        composite_progress: 0,
        composite_error: null,
      };
      recordings.set(rec.id, rec);
      return send(res, 201, rec);
    }
    if (/^\/(participants\/[^/]+\/(mute|remove|lower-hand|role)|mute-all|end)$/.test(rest)) {
      return empty();
    }
    send(res, 404, { code: 'not_found', message: 'Unknown API path' });
  }
}
