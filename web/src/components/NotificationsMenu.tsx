import { useEffect, useId, useState } from 'react';
import { fetchApi, type AppNotification, type NotificationList } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';

/** How often the list is refreshed while the page is open. */
const REFRESH_MS = 60_000;

/**
 * The signed-in user's notifications (a recording is ready…): a disclosure button showing how many
 * are unread, and the list. Opening one marks it read and goes to its page.
 */
export function NotificationsMenu() {
  const { t } = useI18n();
  const panelId = useId();
  const [list, setList] = useState<NotificationList | null>(null);
  const [open, setOpen] = useState(false);
  const [generation, setGeneration] = useState(0);

  // Loads now and every REFRESH_MS; `generation` reloads at once (after a notification is read).
  // A failed read (signed out, offline) keeps the last list.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = () => {
      fetchApi<NotificationList>('/notifications')
        .then(setList, () => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(load, REFRESH_MS);
        });
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [generation]);

  const follow = async (n: AppNotification) => {
    if (!n.read)
      await fetchApi<null>(`/notifications/${encodeURIComponent(n.id)}/read`, {
        method: 'POST',
      }).catch(() => null);
    setOpen(false);
    navigate(n.link);
    setGeneration((g) => g + 1);
  };

  const unread = list?.unread ?? 0;
  const message = (n: AppNotification) =>
    n.kind === 'recording_failed'
      ? t('notifications.recordingFailed', { subject: n.subject })
      : t('notifications.recordingReady', { subject: n.subject });

  return (
    <div className="notifications">
      <button
        type="button"
        className="button button--secondary button--small"
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notifications-toggle"
        onClick={() => setOpen((o) => !o)}
      >
        {t('notifications.label')}
        {unread > 0 && (
          <span className="notifications__count">
            {' '}
            {t('notifications.unread', { count: String(unread) })}
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} className="notifications__panel" data-testid="notifications-panel">
          {list && list.notifications.length > 0 ? (
            <ul>
              {list.notifications.map((n) => (
                <li
                  key={n.id}
                  className={
                    n.read
                      ? 'notifications__item'
                      : 'notifications__item notifications__item--unread'
                  }
                >
                  <a
                    href={n.link}
                    data-testid="notification-item"
                    onClick={(e) => {
                      e.preventDefault();
                      void follow(n);
                    }}
                  >
                    {message(n)}
                    {!n.read && <span className="visually-hidden"> {t('notifications.new')}</span>}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('notifications.none')}</p>
          )}
        </div>
      )}
    </div>
  );
}
