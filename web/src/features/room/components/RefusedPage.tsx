import { useEffect, useRef } from 'react';
import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';
import type { Refusal, RefusedCode } from '../api/joinRoom';

/** Refusals after which asking again may work (the host may change their mind, a seat free up). */
const RETRYABLE: ReadonlySet<RefusedCode> = new Set(['denied', 'room_full', 'lobby_expired']);

/** Why we are not in the meeting: a page per refusal code, with what can be done next. */
export function RefusedPage({
  refusal,
  onRetry,
}: {
  readonly refusal: Refusal;
  readonly onRetry: () => void;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const title = t(`refused.${refusal.code}.title`);
  useDocumentTitle(title);
  useEffect(() => heading.current?.focus(), []);

  return (
    <LightPage>
      <main id="main" className="left-page" data-testid="refused-page" data-code={refusal.code}>
        <h1 ref={heading} tabIndex={-1} className="left-page__title">
          {title}
        </h1>
        <p className="left-page__body">{t(`refused.${refusal.code}.body`)}</p>
        {refusal.reason && (
          <blockquote className="refused__reason" data-testid="refused-reason">
            <p>
              <span className="refused__reason-label">{t('refused.reasonLabel')}</span>{' '}
              {refusal.reason}
            </p>
          </blockquote>
        )}
        <div className="left-page__actions">
          {RETRYABLE.has(refusal.code) && (
            <button
              type="button"
              className="button button--primary button--large"
              data-testid="refused-retry"
              onClick={onRetry}
            >
              {t('refused.retry')}
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
