import { useState } from 'react';
import { NetworkError } from '../../../api';
import { createConference, type ConferenceStore, type MediaChoices } from '../../../conference';
import { useI18n } from '../../../i18n';
import { roomPath } from '../../../router';
import { MeetingView } from '../../meeting';
import { PreJoinPage } from '../../prejoin';
import { joinRoom, signalUrl } from '../api/joinRoom';

type Phase =
  | { readonly kind: 'prejoin' }
  | {
      readonly kind: 'meeting';
      readonly store: ConferenceStore;
      readonly join: number;
      readonly name: string;
      readonly choices: MediaChoices;
    };

/** `/r/:slug`: the pre-join page, then the meeting; one conference store per join. */
export function RoomPage({ slug }: { readonly slug: string }) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'prejoin' });
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);

  const join = async (name: string, choices: MediaChoices) => {
    setJoining(true);
    setJoinError(null);
    try {
      const answer = await joinRoom(slug, name);
      const store = createConference(
        { slug: answer.room?.slug || slug, roomName: answer.room?.name || slug },
        choices,
      );
      void store.connect(signalUrl(answer.url, window.location), answer.token, choices);
      const next = phase.kind === 'meeting' ? phase.join + 1 : 1;
      setPhase({ kind: 'meeting', store, join: next, name, choices });
    } catch (error) {
      setJoinError(error instanceof NetworkError ? t('error.network') : (error as Error).message);
      setPhase({ kind: 'prejoin' });
    } finally {
      setJoining(false);
    }
  };

  if (phase.kind === 'meeting') {
    return (
      <MeetingView
        key={phase.join}
        store={phase.store}
        meetingUrl={`${window.location.origin}${roomPath(slug)}`}
        onRejoin={() => void join(phase.name, phase.choices)}
      />
    );
  }
  return (
    <PreJoinPage
      slug={slug}
      joining={joining}
      joinError={joinError}
      onJoin={(name, choices) => void join(name, choices)}
    />
  );
}
