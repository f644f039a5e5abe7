import { lazy, Suspense, useEffect, useRef } from 'react';
import { HomePage } from './features/home';
import { I18nProvider } from './i18n';
import { NotFoundPage } from './NotFoundPage';
import { matchRoute, usePathname } from './router';

// The room (pre-join and meeting) carries livekit-client: loaded only when a room is opened,
// so the home page stays light.
const RoomPage = lazy(() =>
  import('./features/room').then((module) => ({ default: module.RoomPage })),
);

function Routes() {
  const pathname = usePathname();
  const route = matchRoute(pathname);
  const first = useRef(true);

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
