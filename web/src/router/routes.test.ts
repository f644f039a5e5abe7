import { describe, expect, it } from 'vitest';
import {
  loginPath,
  matchRoute,
  oidcLoginUrl,
  parseRoomInput,
  recordingsPath,
  roomPath,
  safeNextPath,
} from './routes';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'home' }],
    ['/login', { name: 'login' }],
    ['/rooms', { name: 'rooms' }],
    ['/rooms/', { name: 'rooms' }],
    ['', { name: 'home' }],
    ['/r/abc-defg-hij', { name: 'room', slug: 'abc-defg-hij' }],
    ['/r/abc-defg-hij/', { name: 'room', slug: 'abc-defg-hij' }],
    ['/r/', { name: 'notFound' }],
    ['/r/a/b', { name: 'notFound' }],
    ['/r/%E0%A4%A', { name: 'notFound' }],
    ['/r/..', { name: 'notFound' }],
    ['/rooms/abc-defg-hij/recordings', { name: 'recordings', slug: 'abc-defg-hij' }],
    ['/rooms/abc-defg-hij/recordings/', { name: 'recordings', slug: 'abc-defg-hij' }],
    ['/rooms/abc-defg-hij', { name: 'notFound' }],
    ['/rooms/../recordings', { name: 'notFound' }],
    ['/rooms/a/b/recordings', { name: 'notFound' }],
    ['/elsewhere', { name: 'notFound' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});

describe('parseRoomInput', () => {
  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['  abc-defg-hij  ', 'abc-defg-hij'],
    ['https://visio.example.org/r/abc-defg-hij', 'abc-defg-hij'],
    ['http://127.0.0.1:8080/r/abc-defg-hij?x=1#y', 'abc-defg-hij'],
    ['/r/abc-defg-hij', 'abc-defg-hij'],
    ['https://visio.example.org/', null],
    ['not a code', null],
    ['', null],
  ])('%s → %s', (input, slug) => {
    expect(parseRoomInput(input)).toBe(slug);
  });

  it('builds paths that route back to the same room', () => {
    expect(matchRoute(roomPath('abc-defg-hij'))).toEqual({ name: 'room', slug: 'abc-defg-hij' });
    expect(matchRoute(recordingsPath('abc-defg-hij'))).toEqual({
      name: 'recordings',
      slug: 'abc-defg-hij',
    });
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/rooms', '/rooms'],
    ['/r/abc-defg-hij?x=1', '/r/abc-defg-hij?x=1'],
    [null, '/'],
    ['', '/'],
    ['rooms', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['/\tevil', '/'],
    ['javascript:alert(1)', '/'],
  ])('%s → %s', (next, path) => {
    expect(safeNextPath(next)).toBe(path);
  });

  it('builds sign-in links that come back to a safe path only', () => {
    expect(loginPath('/r/abc-defg-hij')).toBe('/login?next=%2Fr%2Fabc-defg-hij');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('//evil.example')).toBe('/login');
    expect(oidcLoginUrl('/rooms')).toBe('/auth/oidc/login?next=%2Frooms');
    expect(oidcLoginUrl('https://evil.example')).toBe('/auth/oidc/login?next=%2F');
  });
});
