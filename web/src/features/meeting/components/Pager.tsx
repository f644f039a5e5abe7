import { Icon } from '../../../components';
import { useI18n } from '../../../i18n';

interface PagerProps {
  readonly page: number;
  readonly pageCount: number;
  readonly onChange: (page: number) => void;
}

/** Previous/next buttons between pages of tiles; nothing when there is one page. */
export function Pager({ page, pageCount, onChange }: PagerProps) {
  const { t } = useI18n();
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label={t('grid.pagination')}>
      <button
        type="button"
        className="pager__button"
        data-testid="page-previous"
        aria-label={t('grid.previous')}
        disabled={page === 0}
        onClick={() => onChange(page - 1)}
      >
        <Icon name="chevronLeft" />
      </button>
      <span className="pager__status" aria-live="polite">
        {t('grid.page', { page: page + 1, count: pageCount })}
      </span>
      <button
        type="button"
        className="pager__button"
        data-testid="page-next"
        aria-label={t('grid.next')}
        disabled={page >= pageCount - 1}
        onClick={() => onChange(page + 1)}
      >
        <Icon name="chevronRight" />
      </button>
    </nav>
  );
}
