import { useEffect, useRef } from 'react';
import type { VideoTrack } from 'livekit-client';

interface VideoViewProps {
  readonly track: VideoTrack;
  /** Mirror the local camera, as people expect to see themselves. */
  readonly mirror?: boolean;
  /** `contain` for screens (nothing cropped), `cover` for cameras. */
  readonly fit?: 'cover' | 'contain';
  readonly testId?: string;
}

/**
 * A real `<video>` element fed by `track.attach()`, so the SDK sees its size and visibility
 * (adaptive stream picks the simulcast layer from them) and tests can read `videoWidth`.
 */
export function VideoView({ track, mirror = false, fit = 'cover', testId }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);

  return (
    <video
      ref={ref}
      className={`video video--${fit}${mirror ? ' video--mirror' : ''}`}
      data-testid={testId}
      muted
      playsInline
      autoPlay
    />
  );
}
