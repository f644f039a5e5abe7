import { useId, useState } from 'react';
import { ConfirmDialog } from '../../../components';
import { useI18n } from '../../../i18n';

/** Turns someone away, with an optional reason the server shows them. */
export function DenyDialog({
  name,
  onDeny,
  onClose,
}: {
  readonly name: string;
  readonly onDeny: (reason: string) => Promise<void>;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState('');
  return (
    <ConfirmDialog
      title={t('lobby.denyTitle', { name })}
      body={<p>{t('lobby.denyBody')}</p>}
      confirmLabel={t('lobby.deny')}
      testId="lobby-deny-dialog"
      confirmTestId="lobby-deny-confirm"
      onConfirm={() => onDeny(reason)}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor={`${id}-reason`} className="field-label">
          {t('lobby.denyReason')}
        </label>
        <textarea
          id={`${id}-reason`}
          className="input textarea"
          rows={2}
          maxLength={200}
          value={reason}
          data-testid="lobby-deny-reason"
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
    </ConfirmDialog>
  );
}
