import { useEffect, useRef } from 'react';
import { useI18n } from '../../../i18n';
import { roomPath } from '../../../router';
import { joinsUnderAccountName, useSession } from '../../../session';
import { MeetingView } from '../../meeting';
import { PreJoinPage } from '../../prejoin';
import { useJoinFlow } from '../hooks/useJoinFlow';
import { useRoomRecording } from '../hooks/useRoomRecording';
import { RefusedPage } from './RefusedPage';
import { WaitingPage } from './WaitingPage';

/**
 * `/r/:slug`: the pre-join page, then the meeting — or the lobby's waiting page, or a page
 * saying why not. One conference store per entry into the meeting.
 */
export function RoomPage({ slug }: { readonly slug: string }) {
  const { t } = useI18n();
  const sessionSnapshot = useSession();
  const flow = useJoinFlow(slug, t('error.network'));
  const { phase } = flow;
  const recording = useRoomRecording(slug, phase.kind === 'prejoin');

  // Back on the pre-join page from another phase: start again from its top, as a new page.
  const previousKind = useRef(phase.kind);
  useEffect(() => {
    if (phase.kind === 'prejoin' && previousKind.current !== 'prejoin') {
      document.getElementById('main')?.focus();
    }
    previousKind.current = phase.kind;
  }, [phase.kind]);

  switch (phase.kind) {
    case 'meeting':
      return (
        <MeetingView
          key={phase.join}
          store={phase.store}
          meetingUrl={`${window.location.origin}${roomPath(slug)}`}
          moderation={phase.moderation}
          room={phase.answer.room}
          onRejoin={() => void flow.join(phase.attempt)}
        />
      );
    case 'waiting':
      return (
        <WaitingPage
          slug={slug}
          lobbyId={phase.lobbyId}
          pollAfterMs={phase.pollAfterMs}
          onEnter={(answer) => flow.enter(answer, phase.attempt)}
          onRefused={(refusal) => flow.refuse(refusal, phase.attempt)}
          onCancel={flow.cancelWaiting}
        />
      );
    case 'refused':
      return <RefusedPage refusal={phase.refusal} onRetry={flow.backToPrejoin} />;
    case 'prejoin':
      return (
        <PreJoinPage
          slug={slug}
          joining={flow.joining}
          joinError={flow.joinError}
          accountName={
            joinsUnderAccountName(sessionSnapshot) ? (sessionSnapshot.user?.name ?? null) : null
          }
          suggestedName={sessionSnapshot.user?.name ?? ''}
          recording={recording}
          onJoin={(name, choices) => void flow.join({ name, choices })}
        />
      );
  }
}
