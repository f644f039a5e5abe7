import { useI18n } from '../i18n';
import { Link } from '../router';

/** The product name, linking home. */
export function Brand({ compact = false }: { readonly compact?: boolean }) {
  const { t } = useI18n();
  return (
    <Link href="/" className={compact ? 'brand brand--compact' : 'brand'}>
      <svg className="brand__mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
        <rect width="32" height="32" rx="9" fill="currentColor" />
        <path d="M9 11.5h10a3 3 0 0 1 3 3v3a3 3 0 0 1-3 3h-5l-4 3v-3H9z" fill="#fff" />
        <circle cx="22.5" cy="9.5" r="3" fill="#fff" />
      </svg>
      <span className="brand__name">{t('app.name')}</span>
    </Link>
  );
}
