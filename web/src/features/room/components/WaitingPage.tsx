import { useEffect, useRef } from 'react';
import type { JoinEnter } from '../../../api';
import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import type { Refusal } from '../api/joinRoom';
import { useLobbyWait } from '../hooks/useLobbyWait';

interface WaitingPageProps {
  readonly slug: string;
  readonly lobbyId: string;
  readonly pollAfterMs: number;
  readonly onEnter: (answer: JoinEnter) => void;
  readonly onRefused: (refusal: Refusal) => void;
  readonly onCancel: () => void;
}

/** Knocked: waits for a host to let us in, polling the lobby entry; Cancel stops knocking. */
export function WaitingPage({
  slug,
  lobbyId,
  pollAfterMs,
  onEnter,
  onRefused,
  onCancel,
}: WaitingPageProps) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('waiting.title'));
  useEffect(() => heading.current?.focus(), []);
  const trouble = useLobbyWait({ slug, lobbyId, pollAfterMs, onEnter, onRefused });

  return (
    <LightPage>
      <main id="main" className="left-page" data-testid="waiting-page">
        <div className="waiting__spinner" aria-hidden="true" />
        <h1 ref={heading} tabIndex={-1} className="left-page__title">
          {t('waiting.title')}
        </h1>
        <p className="left-page__body">{t('prejoin.roomCode', { slug })}</p>
        <p className="left-page__body" role="status" data-testid="waiting-status">
          {trouble ? t('waiting.trouble') : t('waiting.body')}
        </p>
        <div className="left-page__actions">
          <button
            type="button"
            className="button button--secondary button--large"
            data-testid="waiting-cancel"
            onClick={onCancel}
          >
            {t('waiting.cancel')}
          </button>
        </div>
      </main>
    </LightPage>
  );
}
