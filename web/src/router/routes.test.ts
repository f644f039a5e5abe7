import { describe, expect, it } from 'vitest';
import { matchRoute, parseRoomInput, roomPath } from './routes';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'home' }],
    ['', { name: 'home' }],
    ['/r/abc-defg-hij', { name: 'room', slug: 'abc-defg-hij' }],
    ['/r/abc-defg-hij/', { name: 'room', slug: 'abc-defg-hij' }],
    ['/r/', { name: 'notFound' }],
    ['/r/a/b', { name: 'notFound' }],
    ['/r/%E0%A4%A', { name: 'notFound' }],
    ['/r/..', { name: 'notFound' }],
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
  });
});
