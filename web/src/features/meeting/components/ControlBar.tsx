import { useCopyLink } from '../../../components';
import { isHostRole, useConference, useConferenceStore } from '../../../conference';
import { useI18n } from '../../../i18n';
import { canShareScreen } from '../../../media';
import { useModeration } from '../../moderation';
import { Control } from './Control';
import { HostControls } from './HostControls';
import { ReactionsButton } from './ReactionsButton';

export type SidePanel = 'chat' | 'people' | null;

interface ControlBarProps {
  readonly panel: SidePanel;
  readonly onTogglePanel: (panel: Exclude<SidePanel, null>) => void;
  readonly unread: number;
  readonly meetingUrl: string;
}

/** The meeting's controls, in a toolbar at the bottom of the stage. */
export function ControlBar({ panel, onTogglePanel, unread, meetingUrl }: ControlBarProps) {
  const { t, tp } = useI18n();
  const store = useConferenceStore();
  const { local, screenShareEnabled } = useConference();
  const [copy, copyLink] = useCopyLink(meetingUrl);
  const moderation = useModeration();
  const isHost = isHostRole(local.role);
  const micOn = !local.micMuted;
  const cameraOn = local.cameraTrack !== null;
  const handRaised = local.handRaisedAt !== null;

  return (
    <nav className="control-bar" aria-label={t('controls.label')}>
      <div className="control-bar__group">
        <Control
          icon={micOn ? 'mic' : 'micOff'}
          label="controls.microphone"
          testId="toggle-mic"
          pressed={micOn}
          variant={micOn ? undefined : 'off'}
          onClick={() => void store.toggleMicrophone()}
        />
        <Control
          icon={cameraOn ? 'camera' : 'cameraOff'}
          label="controls.camera"
          testId="toggle-camera"
          pressed={cameraOn}
          variant={cameraOn ? undefined : 'off'}
          onClick={() => void store.toggleCamera()}
        />
        {canShareScreen() && (
          <Control
            icon="screen"
            label="controls.screenShare"
            testId="toggle-screenshare"
            pressed={screenShareEnabled}
            variant={screenShareEnabled ? 'active' : undefined}
            onClick={() => void store.toggleScreenShare()}
          />
        )}
        <Control
          icon="hand"
          label="controls.raiseHand"
          testId="raise-hand"
          pressed={handRaised}
          variant={handRaised ? 'active' : undefined}
          onClick={() => void store.setHandRaised(!handRaised)}
        />
        <ReactionsButton />
      </div>
      <div className="control-bar__group">
        <Control
          icon="chat"
          label="controls.chat"
          testId="open-chat"
          expanded={panel === 'chat'}
          controls={panel === 'chat' ? 'chat-panel' : undefined}
          variant={panel === 'chat' ? 'active' : undefined}
          onClick={() => onTogglePanel('chat')}
        >
          {unread > 0 && (
            <span className="control__badge" data-testid="chat-unread">
              <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
              <span className="visually-hidden">{tp('controls.unread', unread)}</span>
            </span>
          )}
        </Control>
        <Control
          icon="people"
          label="controls.participants"
          testId="open-participants"
          expanded={panel === 'people'}
          controls={panel === 'people' ? 'people-panel' : undefined}
          variant={panel === 'people' ? 'active' : undefined}
          onClick={() => onTogglePanel('people')}
        />
        <Control icon="link" label="controls.copyLink" testId="copy-link" onClick={copyLink} />
        {isHost && moderation && <HostControls moderation={moderation} />}
        <Control
          icon="leave"
          label="controls.leave"
          testId="leave"
          variant="danger"
          onClick={() => void store.leave()}
        />
      </div>
      <div className="control-bar__status" role="status" data-testid="copy-status">
        {copy.kind === 'copied' && t('controls.linkCopied')}
        {copy.kind === 'failed' && t('controls.linkCopyFailed', { url: copy.url })}
      </div>
    </nav>
  );
}
