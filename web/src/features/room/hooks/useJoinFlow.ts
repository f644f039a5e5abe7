import { useRef, useState } from 'react';
import { errorText, type JoinEnter } from '../../../api';
import { createConference, type ConferenceStore, type MediaChoices } from '../../../conference';
import { ModerationClient } from '../../moderation';
import { joinRoom, leaveLobby, signalUrl, type Refusal } from '../api/joinRoom';

/** What the participant asked for on the pre-join page; kept to knock or rejoin again. */
export interface JoinAttempt {
  readonly name: string;
  readonly choices: MediaChoices;
}

export type JoinPhase =
  | { readonly kind: 'prejoin' }
  | {
      readonly kind: 'waiting';
      readonly lobbyId: string;
      readonly pollAfterMs: number;
      readonly attempt: JoinAttempt;
    }
  | { readonly kind: 'refused'; readonly refusal: Refusal; readonly attempt: JoinAttempt }
  | {
      readonly kind: 'meeting';
      readonly store: ConferenceStore;
      /** Counts joins, so that a rejoin mounts a fresh meeting view. */
      readonly join: number;
      readonly answer: JoinEnter;
      readonly attempt: JoinAttempt;
      /** Host calls with this join's token (the meeting shows them to hosts only). */
      readonly moderation: ModerationClient;
    };

/**
 * The room page's state machine: pre-join → (waiting in the lobby) → meeting, or refused.
 * One conference store per entry into the meeting.
 */
export function useJoinFlow(slug: string, networkMessage: string) {
  const [phase, setPhase] = useState<JoinPhase>({ kind: 'prejoin' });
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);
  const joins = useRef(0);

  const enter = (answer: JoinEnter, attempt: JoinAttempt) => {
    const store = createConference(
      { slug: answer.room?.slug || slug, roomName: answer.room?.name || slug },
      attempt.choices,
    );
    void store.connect(signalUrl(answer.url, window.location), answer.token, attempt.choices);
    joins.current += 1;
    const moderation = new ModerationClient(slug, answer.token);
    setPhase({ kind: 'meeting', store, join: joins.current, answer, attempt, moderation });
  };

  const join = async (attempt: JoinAttempt) => {
    setJoining(true);
    setJoinError(null);
    try {
      const outcome = await joinRoom(slug, attempt.name);
      if (outcome.status === 'enter') enter(outcome, attempt);
      else if (outcome.status === 'wait') {
        setPhase({
          kind: 'waiting',
          lobbyId: outcome.lobby_id,
          pollAfterMs: outcome.poll_after_ms,
          attempt,
        });
      } else setPhase({ kind: 'refused', refusal: outcome, attempt });
    } catch (error) {
      setJoinError(errorText(error, networkMessage));
      setPhase({ kind: 'prejoin' });
    } finally {
      setJoining(false);
    }
  };

  /** Leaves the lobby (best effort: an entry not polled expires anyway) and goes back. */
  const cancelWaiting = () => {
    if (phase.kind === 'waiting') void leaveLobby(slug, phase.lobbyId).catch(() => undefined);
    setPhase({ kind: 'prejoin' });
  };

  const refuse = (refusal: Refusal, attempt: JoinAttempt) =>
    setPhase({ kind: 'refused', refusal, attempt });

  const backToPrejoin = () => setPhase({ kind: 'prejoin' });

  return { phase, joining, joinError, join, enter, refuse, cancelWaiting, backToPrejoin };
}
