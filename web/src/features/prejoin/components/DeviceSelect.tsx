import { useId } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';

interface DeviceSelectProps {
  readonly label: MessageKey;
  readonly devices: readonly MediaDeviceInfo[];
  readonly value: string | undefined;
  readonly onChange: (deviceId: string | undefined) => void;
  readonly testId: string;
}

/** A labelled device picker; the empty option means "the browser's default". */
export function DeviceSelect({ label, devices, value, onChange, testId }: DeviceSelectProps) {
  const { t } = useI18n();
  const id = useId();
  const known = devices.some((device) => device.deviceId === value);
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {t(label)}
      </label>
      <select
        id={id}
        className="select"
        data-testid={testId}
        value={known ? value : ''}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">{t('prejoin.defaultDevice')}</option>
        {devices
          .filter((device) => device.deviceId !== 'default')
          .map((device, index) => (
            <option key={device.deviceId} value={device.deviceId}>
              {device.label || t('prejoin.unnamedDevice', { index: index + 1 })}
            </option>
          ))}
      </select>
    </div>
  );
}
