import { useContext, useEffect, useMemo, useState } from 'react';
import type { Room } from '../../../api';
import { Brand, LanguageSwitch, SkipLink, useDocumentTitle } from '../../../components';
import {
  ConferenceContext,
  isHostRole,
  useConferenceSnapshot,
  type ConferenceSnapshot,
  type ConferenceStore,
} from '../../../conference';
import { useI18n } from '../../../i18n';
import { ChatPanel, latestUnread, useUnreadCount } from '../../chat';
import {
  LobbyPanel,
  ModerationContext,
  useLobby,
  type Moderation,
  type ModerationClient,
} from '../../moderation';
import { AudioRenderer } from './AudioRenderer';
import { ControlBar, type SidePanel } from './ControlBar';
import { ErrorToast } from './ErrorToast';
import { LeftPage } from './LeftPage';
import { LobbyAnnouncer } from './LobbyAnnouncer';
import { ParticipantsPanel } from './ParticipantsPanel';
import { ReactionsOverlay } from './ReactionsOverlay';
import { RecordingAnnouncer } from './RecordingAnnouncer';
import { RecordingBadge } from './RecordingBadge';
import { Stage } from './Stage';
import { StatusBanners } from './StatusBanners';

interface MeetingViewProps {
  readonly store: ConferenceStore;
  readonly meetingUrl: string;
  readonly onRejoin: () => void;
  /** Host calls for this join; absent in the development preview. */
  readonly moderation?: ModerationClient;
  /** The room as the join answer described it. */
  readonly room?: Room;
}

/**
 * One join of a room: holds the store for as long as it is shown (the last release
 * disconnects), then shows the "left" page once the meeting is over for this user.
 */
export function MeetingView({ store, meetingUrl, onRejoin, moderation, room }: MeetingViewProps) {
  const snapshot = useConferenceSnapshot(store);
  const hostContext = useMemo<Moderation | null>(
    () => (moderation ? { client: moderation, room: room ?? null } : null),
    [moderation, room],
  );
  useEffect(() => {
    store.retain();
    return () => store.release();
  }, [store]);

  if (snapshot.status === 'disconnected' || snapshot.status === 'failed') {
    return (
      <LeftPage reason={snapshot.leaveReason} failure={snapshot.failure} onRejoin={onRejoin} />
    );
  }
  return (
    <ModerationContext value={hostContext}>
      <MeetingLayout store={store} snapshot={snapshot} meetingUrl={meetingUrl} />
    </ModerationContext>
  );
}

interface MeetingLayoutProps {
  readonly store: ConferenceStore;
  readonly snapshot: ConferenceSnapshot;
  readonly meetingUrl: string;
}

/** Header, stage, side panel and controls. */
function MeetingLayout({ store, snapshot, meetingUrl }: MeetingLayoutProps) {
  const { t, tp } = useI18n();
  const [panel, setPanel] = useState<SidePanel>(null);
  const unread = useUnreadCount(snapshot.messages, panel === 'chat');
  const announce = latestUnread(snapshot.messages, unread);
  const moderation = useContext(ModerationContext);
  const lobby = useLobby(
    moderation?.client ?? null,
    isHostRole(snapshot.local.role),
    snapshot.lobby?.seq ?? 0,
  );
  useDocumentTitle(t('meeting.heading', { name: snapshot.roomName }));

  const togglePanel = (next: Exclude<SidePanel, null>) =>
    setPanel((current) => (current === next ? null : next));
  const closePanel = (returnTo: string) => {
    setPanel(null);
    document.querySelector<HTMLElement>(`[data-testid="${returnTo}"]`)?.focus();
  };

  return (
    <ConferenceContext value={store}>
      <div className="meeting" data-status={snapshot.status}>
        <SkipLink target="meeting-stage" />
        <header className="meeting__header">
          <Brand compact />
          <div className="meeting__title">
            <h1 className="meeting__name">{t('meeting.heading', { name: snapshot.roomName })}</h1>
            <p className="meeting__count" data-testid="participant-count">
              {tp('meeting.participants', snapshot.participants.length)}
            </p>
          </div>
          <RecordingBadge />
          <LanguageSwitch className="language-switch--dark" />
        </header>
        <StatusBanners />
        <div className="meeting__body">
          <main
            id="meeting-stage"
            className="meeting__stage"
            tabIndex={-1}
            aria-label={t('meeting.stage')}
          >
            <Stage />
            <ReactionsOverlay />
            {lobby.store && <LobbyPanel store={lobby.store} snapshot={lobby.snapshot} />}
          </main>
          {panel === 'chat' && <ChatPanel onClose={() => closePanel('open-chat')} />}
          {panel === 'people' && (
            <ParticipantsPanel onClose={() => closePanel('open-participants')} />
          )}
        </div>
        <footer className="meeting__footer">
          <ControlBar
            panel={panel}
            onTogglePanel={togglePanel}
            unread={unread}
            meetingUrl={meetingUrl}
          />
        </footer>
        <div className="visually-hidden" aria-live="polite" data-testid="chat-announcer">
          {announce && t('chat.newMessage', { name: announce.name, text: announce.text })}
        </div>
        <LobbyAnnouncer arrivals={lobby.snapshot.arrivals} />
        <RecordingAnnouncer />
        <ErrorToast />
        <AudioRenderer />
      </div>
    </ConferenceContext>
  );
}
