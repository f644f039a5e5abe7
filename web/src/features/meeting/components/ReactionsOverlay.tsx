import { useConference } from '../../../conference';
import { useI18n } from '../../../i18n';

/** Floating emoji with the sender's name; announced politely, still under reduced motion. */
export function ReactionsOverlay() {
  const { t } = useI18n();
  const { reactions } = useConference();
  return (
    <div className="reactions-overlay" aria-live="polite" aria-relevant="additions">
      {reactions.map((reaction, index) => (
        <div
          key={reaction.id}
          className="reaction"
          data-testid="reaction"
          style={{ left: `${8 + ((index * 37) % 60)}%` }}
        >
          <span className="reaction__emoji" aria-hidden="true">
            {reaction.emoji}
          </span>
          <span className="reaction__name" aria-hidden="true">
            {reaction.isLocal ? t('meeting.you', { name: reaction.name }) : reaction.name}
          </span>
          <span className="visually-hidden">
            {t('reaction.announce', { name: reaction.name, emoji: reaction.emoji })}
          </span>
        </div>
      ))}
    </div>
  );
}
