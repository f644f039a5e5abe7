import { useState } from 'react';
import { paginate, type ParticipantView, type ScreenShareView } from '../../../conference';
import { useI18n } from '../../../i18n';
import { Pager } from './Pager';
import { ParticipantTile } from './ParticipantTile';
import { ScreenShareTile } from './ScreenShareTile';

interface SpeakerLayoutProps {
  readonly shares: readonly ScreenShareView[];
  readonly participants: readonly ParticipantView[];
  readonly stripSize: number;
  readonly landscape: boolean;
}

/** Shared screens large, participants in a paginated strip beside or below them. */
export function SpeakerLayout({ shares, participants, stripSize, landscape }: SpeakerLayoutProps) {
  const { t } = useI18n();
  const [requestedPage, setPage] = useState(0);
  const { items, page, pageCount } = paginate(participants, stripSize, requestedPage);
  return (
    <div className={`speaker-layout${landscape ? ' speaker-layout--landscape' : ''}`}>
      <ul
        className={`screens screens--${Math.min(shares.length, 4)}`}
        aria-label={t('meeting.screenShares')}
      >
        {shares.map((share) => (
          <ScreenShareTile key={share.key} share={share} />
        ))}
      </ul>
      <div className="strip">
        <ul className="strip__tiles" aria-label={t('meeting.participantStrip')}>
          {items.map((participant) => (
            <ParticipantTile key={participant.identity} participant={participant} />
          ))}
        </ul>
        <Pager page={page} pageCount={pageCount} onChange={setPage} />
      </div>
    </div>
  );
}
