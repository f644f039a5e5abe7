import type { ReactNode } from 'react';
import { Icon, type IconName } from '../../../components';
import { useI18n, type MessageKey } from '../../../i18n';

interface ControlProps {
  readonly icon: IconName;
  readonly label: MessageKey;
  readonly testId: string;
  readonly onClick: () => void;
  readonly pressed?: boolean;
  readonly expanded?: boolean;
  readonly controls?: string;
  /** The control opens a dialog. */
  readonly opensDialog?: boolean;
  readonly variant?: 'off' | 'danger' | 'active';
  readonly children?: ReactNode;
}

/** One labelled control: the visible text is the accessible name (WCAG 2.5.3). */
export function Control({
  icon,
  label,
  testId,
  onClick,
  pressed,
  expanded,
  controls,
  opensDialog,
  variant,
  children,
}: ControlProps) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className={variant ? `control control--${variant}` : 'control'}
      data-testid={testId}
      aria-pressed={pressed}
      aria-expanded={expanded}
      aria-controls={controls}
      aria-haspopup={opensDialog ? 'dialog' : undefined}
      onClick={onClick}
    >
      <Icon name={icon} />
      <span className="control__label">{t(label)}</span>
      {children}
    </button>
  );
}
