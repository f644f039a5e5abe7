import { useState } from 'react';
import { errorText, type LobbyEntry } from '../../../api';
import { useI18n } from '../../../i18n';
import type { LobbySnapshot, LobbyStore } from '../hooks/LobbyStore';
import { DenyDialog } from './DenyDialog';

/**
 * For hosts, while someone waits: who is knocking, with Admit and Deny for each and Admit all.
 * A region, not a dialog: it never takes the focus away from the meeting. New knocks are
 * announced by the meeting's lobby live region.
 */
export function LobbyPanel({
  store,
  snapshot,
}: {
  readonly store: LobbyStore;
  readonly snapshot: LobbySnapshot;
}) {
  const { t, tp } = useI18n();
  const [collapsed, setCollapsed] = useState(false);
  const [denying, setDenying] = useState<LobbyEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { entries } = snapshot;
  if (entries.length === 0 && !denying) return null;

  /**
   * Runs a decision. The decided entry leaves the list at once, taking the focused button with
   * it: the focus goes to the panel's title, or to the stage once nobody is left.
   */
  const act = (call: () => Promise<void>) => {
    setError(null);
    call().catch((err: unknown) => setError(errorText(err, t('error.network'))));
    setTimeout(() => {
      if (document.activeElement && document.activeElement !== document.body) return;
      const target = document.getElementById('lobby-title') ?? document.querySelector('main');
      (target as HTMLElement | null)?.focus();
    }, 0);
  };

  return (
    <section className="lobby-panel" aria-labelledby="lobby-title" data-testid="lobby-panel">
      <div className="lobby-panel__header">
        <h2 id="lobby-title" className="lobby-panel__title" tabIndex={-1}>
          {tp('lobby.title', entries.length)}
        </h2>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-expanded={!collapsed}
          aria-controls="lobby-list"
          data-testid="lobby-toggle"
          onClick={() => setCollapsed((c) => !c)}
        >
          {collapsed ? t('lobby.show') : t('lobby.hide')}
        </button>
      </div>
      <div id="lobby-list" hidden={collapsed}>
        <ul className="lobby-panel__list">
          {entries.map((entry) => (
            <li
              key={entry.id}
              className="lobby-panel__entry"
              data-testid="lobby-entry"
              data-lobby-id={entry.id}
            >
              <span className="lobby-panel__name">
                {entry.name}{' '}
                <span className="lobby-panel__kind">
                  ({entry.signed_in ? t('lobby.signedIn') : t('role.guest')})
                </span>
              </span>
              <span className="lobby-panel__actions">
                <button
                  type="button"
                  className="button button--primary button--small"
                  data-testid="lobby-admit"
                  onClick={() => act(() => store.admit(entry.id))}
                >
                  {t('lobby.admit')}
                  <span className="visually-hidden"> {entry.name}</span>
                </button>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  data-testid="lobby-deny"
                  onClick={() => setDenying(entry)}
                >
                  {t('lobby.deny')}
                  <span className="visually-hidden"> {entry.name}</span>
                </button>
              </span>
            </li>
          ))}
        </ul>
        {entries.length > 0 && (
          <button
            type="button"
            className="button button--primary button--small button--block"
            data-testid="lobby-admit-all"
            onClick={() => act(() => store.admitAll())}
          >
            {t('lobby.admitAll')}
          </button>
        )}
        {(error || snapshot.failed) && (
          <p className="lobby-panel__error" role="alert">
            {error ? t('lobby.actionFailed', { message: error }) : t('lobby.loadFailed')}
          </p>
        )}
      </div>
      {denying && (
        <DenyDialog
          name={denying.name}
          onDeny={(reason) => store.deny(denying.id, reason)}
          onClose={() => setDenying(null)}
        />
      )}
    </section>
  );
}
