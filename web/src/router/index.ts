export { Link } from './Link';
export { navigate, usePathname } from './history';
export { isSlug, matchRoute, parseRoomInput, roomPath, type Route } from './routes';
