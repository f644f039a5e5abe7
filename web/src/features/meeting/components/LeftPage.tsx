import { useEffect, useRef } from 'react';
import { LightPage, useDocumentTitle } from '../../../components';
import type { LeaveReason } from '../../../conference';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';

interface LeftPageProps {
  /** Null when the first connection failed (then `failure` says why). */
  readonly reason: LeaveReason | null;
  readonly failure: string | null;
  readonly onRejoin: () => void;
}

/** Reasons after which rejoining would only be refused: removed, or ended by a host. */
const FINAL: readonly (LeaveReason | null)[] = ['removed', 'ended'];

/** After the meeting: you left, the connection was lost, or it never came up. */
export function LeftPage({ reason, failure, onRejoin }: LeftPageProps) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const title = reason ? t(`left.title.${reason}`) : t('left.title.lost');
  useDocumentTitle(title);
  useEffect(() => heading.current?.focus(), []);
  return (
    <LightPage>
      <main
        id="main"
        className="left-page"
        data-testid="left-page"
        data-reason={reason ?? 'failed'}
      >
        <h1 ref={heading} tabIndex={-1} className="left-page__title">
          {title}
        </h1>
        {failure && (
          <p className="form-error" role="alert">
            {t('meeting.connectFailed', { message: failure })}
          </p>
        )}
        <div className="left-page__actions">
          {!FINAL.includes(reason) && (
            <button
              type="button"
              className="button button--primary button--large"
              data-testid="rejoin"
              onClick={onRejoin}
            >
              {t('left.rejoin')}
            </button>
          )}
          <Link href="/" className="button button--secondary button--large">
            {t('left.home')}
          </Link>
        </div>
      </main>
    </LightPage>
  );
}
