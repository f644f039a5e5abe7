import { useEffect, useRef, useState } from 'react';
import { Icon, initialsOf } from '../../../components';
import { isHostRole, sortForParticipantList, useConference } from '../../../conference';
import { useI18n } from '../../../i18n';
import { MuteAllButton, ParticipantActions, useModeration } from '../../moderation';
import { RoleBadge } from './RoleBadge';

/**
 * Everyone in the room, raised hands first in the order they went up. Hosts also get
 * "Mute everyone" and, per participant, the moderation actions.
 */
export function ParticipantsPanel({ onClose }: { readonly onClose: () => void }) {
  const { t, locale } = useI18n();
  const { participants, local } = useConference();
  const moderation = useModeration();
  const host = isHostRole(local.role) ? moderation : null;
  const [status, setStatus] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const sorted = sortForParticipantList(participants, locale);
  return (
    <aside
      id="people-panel"
      className="panel"
      aria-labelledby="people-title"
      data-testid="participants-panel"
    >
      <div className="panel__header">
        <h2 id="people-title" className="panel__title" ref={heading} tabIndex={-1}>
          {t('people.title')} <span className="panel__count">({participants.length})</span>
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('people.close')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      {host && (
        <div className="panel__tools">
          <MuteAllButton client={host.client} onResult={setStatus} />
        </div>
      )}
      <ul className="people-list">
        {sorted.map((p) => (
          <li
            key={p.identity}
            className="people-list__item"
            data-testid="participant-list-item"
            data-identity={p.identity}
            data-role={p.role ?? undefined}
          >
            <div className="people-list__row">
              <span className="avatar avatar--small" aria-hidden="true">
                {initialsOf(p.name)}
              </span>
              <span className="people-list__name">
                {p.name}
                {p.isLocal && <span className="people-list__you"> ({t('people.you')})</span>}
              </span>
              <RoleBadge role={p.role} className="people-list__role" />
              {p.handRaisedAt !== null && (
                <span
                  className="people-list__icon people-list__icon--hand"
                  role="img"
                  aria-label={t('tile.handRaised')}
                >
                  <Icon name="hand" />
                </span>
              )}
              {p.micMuted && (
                <span className="people-list__icon" role="img" aria-label={t('tile.micMuted')}>
                  <Icon name="micOff" />
                </span>
              )}
              {host && !p.isLocal && (
                <ParticipantActions
                  participant={p}
                  myRole={local.role}
                  client={host.client}
                  onResult={setStatus}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
      <p className="panel__status" role="status" data-testid="moderation-status">
        {status}
      </p>
    </aside>
  );
}
