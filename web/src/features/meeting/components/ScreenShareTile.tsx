import type { ScreenShareView } from '../../../conference';
import { useI18n } from '../../../i18n';
import { VideoView } from './VideoView';

/** A shared screen, shown whole (letterboxed), with who shares it. */
export function ScreenShareTile({ share }: { readonly share: ScreenShareView }) {
  const { t } = useI18n();
  const label = t('tile.screenOf', {
    name: share.isLocal ? t('meeting.you', { name: share.name }) : share.name,
  });
  return (
    <li
      className="screen-tile"
      data-testid="screenshare-tile"
      data-identity={share.identity}
      aria-label={label}
    >
      <VideoView track={share.track} fit="contain" />
      <div className="tile__bar">
        <span className="tile__name">{label}</span>
      </div>
    </li>
  );
}
