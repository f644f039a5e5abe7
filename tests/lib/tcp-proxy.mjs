// A loopback TCP proxy in front of the server's HTTP/WebSocket port, so a test can cut the signal
// connection the way a network drop does (TCP RST, no WebSocket close frame, no LeaveRequest)
// while WebRTC media keeps going straight to the server's UDP ports.
import net from 'node:net';

export async function startProxy(targetUrl) {
  const target = new URL(targetUrl.replace(/^ws/, 'http'));
  const port = Number(target.port || 80);
  const host = target.hostname;
  const pairs = new Set();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(port, host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port: proxyPort } = server.address();
  const path = target.pathname.replace(/\/$/, '');
  return {
    /** the LiveKit URL to give the SDK: ws://127.0.0.1:<proxy port>[path] */
    wsUrl: `ws://127.0.0.1:${proxyPort}${path}`,
    /** connections accepted so far (a resume opens a new one) */
    get accepted() { return accepted; },
    get open() { return pairs.size; },
    /** Resets every open connection (both sides get a TCP RST). Returns how many were cut. */
    cut() {
      const n = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
      return n;
    },
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
