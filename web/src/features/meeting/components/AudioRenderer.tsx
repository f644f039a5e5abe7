import { useEffect, useRef } from 'react';
import type { AudioTrackView } from '../../../conference';
import { useConference } from '../../../conference';

function AudioTrackElement({ item }: { readonly item: AudioTrackView }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    item.track.attach(element);
    return () => {
      item.track.detach(element);
    };
  }, [item.track]);
  // Live speech from a participant: there is no caption file to give (live captions arrive
  // as LiveKit transcription packets, shown elsewhere).
  // eslint-disable-next-line jsx-a11y/media-has-caption
  return <audio ref={ref} data-identity={item.identity} autoPlay />;
}

/** Plays every subscribed remote audio track (microphones and shared tab audio). */
export function AudioRenderer() {
  const { audioTracks } = useConference();
  return (
    <div className="audio-renderer" hidden>
      {audioTracks.map((item) => (
        <AudioTrackElement key={item.key} item={item} />
      ))}
    </div>
  );
}
