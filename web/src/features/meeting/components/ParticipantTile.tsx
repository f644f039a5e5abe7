import { memo } from 'react';
import { Icon, initialsOf } from '../../../components';
import type { ParticipantView } from '../../../conference';
import { useI18n } from '../../../i18n';
import { RoleBadge } from './RoleBadge';
import { VideoView } from './VideoView';

/** One participant: camera or avatar, name, microphone and hand state, speaking outline. */
export const ParticipantTile = memo(function ParticipantTile({
  participant,
}: {
  readonly participant: ParticipantView;
}) {
  const { t } = useI18n();
  const { identity, name, isLocal, cameraTrack, micMuted, isSpeaking, handRaisedAt, role } =
    participant;
  const label = isLocal ? t('meeting.you', { name }) : name;
  return (
    <li
      className={`tile${isSpeaking ? ' tile--speaking' : ''}`}
      data-testid="participant-tile"
      data-identity={identity}
      data-local={isLocal || undefined}
      data-speaking={isSpeaking || undefined}
      data-camera={cameraTrack ? 'on' : 'off'}
      data-role={role ?? undefined}
      aria-label={role === 'guest' ? `${label}, ${t('role.guest')}` : label}
    >
      {cameraTrack ? (
        <VideoView track={cameraTrack} mirror={isLocal} />
      ) : (
        <div className="tile__avatar-wrap">
          <span className="avatar" aria-hidden="true">
            {initialsOf(name)}
          </span>
        </div>
      )}
      {handRaisedAt !== null && (
        <span
          className="tile__hand"
          role="img"
          aria-label={t('tile.handRaised')}
          data-testid="hand-raised"
        >
          <Icon name="hand" />
        </span>
      )}
      <div className="tile__bar">
        {micMuted && (
          <span
            className="tile__badge"
            role="img"
            aria-label={t('tile.micMuted')}
            data-testid="mic-muted"
          >
            <Icon name="micOff" />
          </span>
        )}
        {!cameraTrack && (
          <span
            className="tile__badge"
            role="img"
            aria-label={t('tile.cameraOff')}
            data-testid="camera-off"
          >
            <Icon name="cameraOff" />
          </span>
        )}
        <span className="tile__name">{label}</span>
        {role === 'guest' && <RoleBadge role={role} className="tile__role" />}
        {isSpeaking && <span className="visually-hidden">{t('tile.speaking')}</span>}
      </div>
    </li>
  );
});
