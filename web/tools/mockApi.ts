import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

/**
 * A development-only stand-in for the Parlons product API (`/api/v1/*`), so the home and
 * pre-join pages can be exercised without a server. Imported by `vite.config.ts` only when
 * `PARLONS_MOCK_API=1`; it is never part of the browser bundle.
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

function createMockMiddleware(): Connect.NextHandleFunction {
  const rooms = new Map<string, string>();
  const livekitUrl = process.env.PARLONS_MOCK_LIVEKIT_URL ?? 'ws://127.0.0.1:9';
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/v1/')) {
      next();
      return;
    }
    void handle(req, res, url).catch(() =>
      send(res, 400, { code: 'invalid_json', message: 'Invalid JSON body' }),
    );
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const host = req.headers.host ?? 'localhost';
    if (req.method === 'GET' && url.pathname === '/api/v1/config') {
      send(res, 200, { version: '0.0.0-mock', dev: true });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/rooms') {
      const body = await readJson(req);
      const slug = randomSlug();
      const name = typeof body.name === 'string' && body.name ? body.name : slug;
      rooms.set(slug, name);
      send(res, 201, { slug, url: `http://${host}/r/${slug}`, name });
      return;
    }
    const join = /^\/api\/v1\/rooms\/([^/]+)\/join$/.exec(url.pathname);
    if (req.method === 'POST' && join?.[1]) {
      const slug = decodeURIComponent(join[1]);
      if (slug.startsWith('missing')) {
        send(res, 404, { code: 'room_not_found', message: `Room ${slug} does not exist` });
        return;
      }
      const body = await readJson(req);
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      if (!name || name.length > 64) {
        send(res, 400, {
          code: 'invalid_name',
          message: 'The display name must be 1 to 64 characters',
        });
        return;
      }
      const identity = `guest-${Math.random().toString(36).slice(2, 8)}`;
      const key = process.env.PARLONS_MOCK_LIVEKIT_KEY;
      const secret = process.env.PARLONS_MOCK_LIVEKIT_SECRET;
      send(res, 200, {
        url: livekitUrl,
        token: key && secret ? livekitToken(key, secret, slug, identity, name) : 'mock-token',
        identity,
        room: { slug, name: rooms.get(slug) ?? slug },
      });
      return;
    }
    send(res, 404, { code: 'not_found', message: 'Unknown API path' });
  }
}
