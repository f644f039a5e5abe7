import { useId } from 'react';
import type { PublishPolicy, PublishWho } from '../../../api';
import { useI18n } from '../../../i18n';

const SOURCES: readonly (keyof PublishPolicy)[] = ['camera', 'microphone', 'screen_share'];

/** Who may use camera, microphone and screen share: everyone, or hosts only. */
export function PublishPolicyFields({
  value,
  onChange,
}: {
  readonly value: PublishPolicy;
  readonly onChange: (value: PublishPolicy) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="fieldset" data-testid="room-publish">
      <legend className="field-label">{t('rooms.publish')}</legend>
      <p className="field-hint">{t('rooms.publish.hint')}</p>
      {SOURCES.map((source) => (
        <div key={source} className="field field--inline">
          <label htmlFor={`${id}-${source}`}>{t(`rooms.publish.${source}`)}</label>
          <select
            id={`${id}-${source}`}
            className="select select--auto"
            value={value[source]}
            data-testid={`room-publish-${source}`}
            onChange={(event) => onChange({ ...value, [source]: event.target.value as PublishWho })}
          >
            <option value="everyone">{t('rooms.publish.everyone')}</option>
            <option value="hosts">{t('rooms.publish.hosts')}</option>
          </select>
        </div>
      ))}
    </fieldset>
  );
}
