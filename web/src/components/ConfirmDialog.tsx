import { useId, useState, type ReactNode } from 'react';
import { errorText } from '../api';
import { useI18n } from '../i18n';
import { Dialog } from './Dialog';

interface ConfirmDialogProps {
  readonly title: string;
  readonly body: ReactNode;
  /** The confirming button's text, a verb: "Delete", "Remove", "End meeting". */
  readonly confirmLabel: string;
  /** Runs the action; a rejection keeps the dialog open and shows why. */
  readonly onConfirm: () => Promise<unknown>;
  readonly onClose: () => void;
  readonly testId?: string;
  readonly confirmTestId?: string;
  /** Extra fields (a reason…) between the text and the buttons. */
  readonly children?: ReactNode;
}

/** Asks before a destructive action; Cancel has the focus, so Enter does not destroy. */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  onConfirm,
  onClose,
  testId,
  confirmTestId,
  children,
}: ConfirmDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorText(err, t('error.network')));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} onClose={onClose} testId={testId} describedBy={`${id}-body`}>
      <div id={`${id}-body`} className="dialog__body">
        {body}
      </div>
      {children}
      {error && (
        <p className="form-error" role="alert">
          {t('dialog.failed', { message: error })}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" data-autofocus onClick={onClose}>
          {t('dialog.cancel')}
        </button>
        <button
          type="button"
          className="button button--danger"
          data-testid={confirmTestId}
          disabled={busy}
          aria-busy={busy}
          onClick={() => void confirm()}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
