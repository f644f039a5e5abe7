import { lazy, Suspense, useEffect, useRef } from 'react';
import { LoginPage } from './features/auth';
import { HomePage } from './features/home';
import { RecordingsPage } from './features/recordings';
import { RoomsPage } from './features/rooms';
import { I18nProvider } from './i18n';
import { NotFoundPage } from './NotFoundPage';
import { matchRoute, usePathname } from './router';
import { session } from './session';

// The room (pre-join and meeting) carries livekit-client: loaded only when a room is opened,
// so the home page stays light.
const RoomPage = lazy(() =>
  import('./features/room').then((module) => ({ default: module.RoomPage })),
);

function Routes() {
  const pathname = usePathname();
  const route = matchRoute(pathname);
  const first = useRef(true);

  // Who is signed in and what the server allows, read once per page load.
  useEffect(() => {
    void session.load();
  }, []);

  // After an in-app navigation, move focus to the new page's main content, as a page load
  // would, so keyboard and screen-reader users start from the top of the new page.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [pathname]);

  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'login':
      return <LoginPage />;
    case 'rooms':
      return <RoomsPage />;
    case 'recordings':
      return <RecordingsPage key={route.slug} slug={route.slug} />;
    case 'room':
      return (
        <Suspense fallback={<div className="page page--light" aria-busy="true" />}>
          <RoomPage key={route.slug} slug={route.slug} />
        </Suspense>
      );
    case 'notFound':
      return <NotFoundPage />;
  }
}

export function App() {
  return (
    <I18nProvider>
      <Routes />
    </I18nProvider>
  );
}
