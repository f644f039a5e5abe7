export { Link } from './Link';
export { navigate, usePathname } from './history';
export {
  ROOMS_PATH,
  isSlug,
  loginPath,
  matchRoute,
  oidcLoginUrl,
  parseRoomInput,
  recordingsPath,
  roomPath,
  safeNextPath,
  type Route,
} from './routes';
