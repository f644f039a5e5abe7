import { useRef, useState } from 'react';
import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import { Link, loginPath, recordingsPath, ROOMS_PATH } from '../../../router';
import { useRecordings, type RecordingsFailure } from '../hooks/useRecordings';
import { RecordingCard } from './RecordingCard';

/** `/rooms/:slug/recordings`: a room's recordings, newest first, for its hosts. */
export function RecordingsPage({ slug }: { readonly slug: string }) {
  const { t } = useI18n();
  const { state, roomName, refreshing, reload, remove } = useRecordings(slug, t('error.network'));
  const heading = t('recordings.heading', { name: roomName ?? slug });
  useDocumentTitle(heading);
  const [announcement, setAnnouncement] = useState('');
  const title = useRef<HTMLHeadingElement>(null);

  // Say when a refresh asked for with the button has come back.
  const [wasRefreshing, setWasRefreshing] = useState(refreshing);
  if (refreshing !== wasRefreshing) {
    setWasRefreshing(refreshing);
    if (!refreshing && state.status === 'ready') setAnnouncement(t('recordings.refreshed'));
  }

  const onDeleted = (id: string) => {
    remove(id);
    setAnnouncement(t('recordings.deleted'));
    // The deleted recording held the focus: give it to the title rather than to the page's end.
    title.current?.focus();
  };

  return (
    <LightPage>
      <main
        id="main"
        className="recordings-page"
        tabIndex={-1}
        aria-busy={state.status === 'loading' || refreshing}
        data-testid="recordings-page"
      >
        <Link href={ROOMS_PATH} className="recordings-page__back" data-testid="recordings-back">
          {t('recordings.back')}
        </Link>
        <div className="recordings-page__head">
          <h1 ref={title} tabIndex={-1} className="recordings-page__title">
            {heading}
          </h1>
          {state.status === 'ready' && (
            <button
              type="button"
              className="button button--secondary button--small"
              data-testid="recordings-refresh"
              onClick={() => {
                setAnnouncement('');
                reload();
              }}
            >
              {t('recordings.refresh')}
            </button>
          )}
        </div>
        <p className="recordings-page__code">{t('rooms.code', { slug })}</p>
        {state.status === 'failed' && (
          <FailureNotice failure={state.failure} slug={slug} onRetry={reload} />
        )}
        {state.status === 'ready' && state.recordings.length === 0 && (
          <p className="recordings-page__empty" data-testid="recordings-empty">
            {t('recordings.empty')}
          </p>
        )}
        {state.status === 'ready' && state.recordings.length > 0 && (
          <ul className="recording-list" data-testid="recordings-list">
            {state.recordings.map((recording) => (
              <RecordingCard key={recording.id} recording={recording} onDeleted={onDeleted} />
            ))}
          </ul>
        )}
        <p className="visually-hidden" role="status" data-testid="recordings-status">
          {announcement}
        </p>
      </main>
    </LightPage>
  );
}

function FailureNotice({
  failure,
  slug,
  onRetry,
}: {
  readonly failure: RecordingsFailure;
  readonly slug: string;
  readonly onRetry: () => void;
}) {
  const { t } = useI18n();
  switch (failure.kind) {
    case 'signedOut':
      return (
        <div className="card" data-testid="recordings-signed-out">
          <p>{t('recordings.signedOut')}</p>
          <Link href={loginPath(recordingsPath(slug))} className="button button--primary">
            {t('account.signIn')}
          </Link>
        </div>
      );
    case 'forbidden':
    case 'notFound':
      return (
        <p className="notice notice--warning" data-testid="recordings-refused">
          {t(failure.kind === 'forbidden' ? 'recordings.forbidden' : 'recordings.notFound')}
        </p>
      );
    case 'other':
      return (
        <div className="notice notice--warning" role="alert" data-testid="recordings-error">
          <p>{t('recordings.loadError', { message: failure.message })}</p>
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('prejoin.retry')}
          </button>
        </div>
      );
  }
}
