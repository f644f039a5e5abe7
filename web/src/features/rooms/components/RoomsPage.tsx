import { useRef, useState } from 'react';
import type { Room } from '../../../api';
import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import { Link, loginPath, ROOMS_PATH } from '../../../router';
import { useSession } from '../../../session';
import { splitRooms } from '../hooks/roomSchedule';
import { useMyRooms } from '../hooks/useMyRooms';
import { CreateRoomForm } from './CreateRoomForm';
import { RoomList } from './RoomList';

/** `/rooms`: my rooms (upcoming, then recent), and a form to create one. Signed-in only. */
export function RoomsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('rooms.title'));
  const { status, user } = useSession();
  const { state, reload, put, remove } = useMyRooms(user !== null, t('error.network'));
  const [announcement, setAnnouncement] = useState('');
  const listHeading = useRef<HTMLHeadingElement>(null);

  const onCreated = (room: Room) => {
    put(room);
    setAnnouncement(t('rooms.created', { name: room.name }));
  };
  const onDeleted = (slug: string) => {
    remove(slug);
    setAnnouncement(t('rooms.deleted'));
    // The deleted card held the focus: give it to the list rather than to the page's end.
    listHeading.current?.focus();
  };

  return (
    <LightPage>
      <main
        id="main"
        className="rooms-page"
        tabIndex={-1}
        aria-busy={status === 'loading' || (user !== null && state.status === 'loading')}
      >
        <h1 className="rooms-page__title">{t('rooms.title')}</h1>
        {status === 'ready' && !user && (
          <div className="card" data-testid="rooms-signed-out">
            <p>{t('rooms.signedOut')}</p>
            <Link href={loginPath(ROOMS_PATH)} className="button button--primary">
              {t('account.signIn')}
            </Link>
          </div>
        )}
        {user && (
          <div className="rooms-page__layout">
            <CreateRoomForm onCreated={onCreated} />
            <section className="rooms-page__lists" aria-labelledby="rooms-list-heading">
              <h2
                id="rooms-list-heading"
                ref={listHeading}
                tabIndex={-1}
                className="visually-hidden"
              >
                {t('rooms.listHeading')}
              </h2>
              {state.status === 'failed' && (
                <div className="notice notice--warning" role="alert">
                  <p>{t('rooms.loadError', { message: state.error })}</p>
                  <button type="button" className="button button--secondary" onClick={reload}>
                    {t('prejoin.retry')}
                  </button>
                </div>
              )}
              {state.status === 'ready' && (
                <RoomLists
                  rooms={state.rooms}
                  now={state.loadedAt}
                  onChanged={put}
                  onDeleted={onDeleted}
                />
              )}
            </section>
          </div>
        )}
        <p className="visually-hidden" role="status" data-testid="rooms-status">
          {announcement}
        </p>
      </main>
    </LightPage>
  );
}

function RoomLists({
  rooms,
  now,
  onChanged,
  onDeleted,
}: {
  readonly rooms: readonly Room[];
  readonly now: number;
  readonly onChanged: (room: Room) => void;
  readonly onDeleted: (slug: string) => void;
}) {
  const { t } = useI18n();
  const { upcoming, recent } = splitRooms(rooms, now);
  if (rooms.length === 0) {
    return <p className="rooms-page__empty">{t('rooms.empty')}</p>;
  }
  return (
    <>
      {upcoming.length > 0 && (
        <RoomList
          heading={t('rooms.upcoming')}
          testId="rooms-upcoming"
          rooms={upcoming}
          onChanged={onChanged}
          onDeleted={onDeleted}
        />
      )}
      {recent.length > 0 && (
        <RoomList
          heading={t('rooms.recent')}
          testId="rooms-recent"
          rooms={recent}
          onChanged={onChanged}
          onDeleted={onDeleted}
        />
      )}
    </>
  );
}
