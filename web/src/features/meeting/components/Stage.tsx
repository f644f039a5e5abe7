import { useRef } from 'react';
import { gridPageSize, useConference } from '../../../conference';
import { useElementSize } from '../hooks/useElementSize';
import { ParticipantGrid } from './ParticipantGrid';
import { SpeakerLayout } from './SpeakerLayout';

/** Grid of everyone, or speaker view as soon as someone shares a screen. */
export function Stage() {
  const { participants, screenShares } = useConference();
  const ref = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(ref);
  const landscape = width >= height;
  return (
    <div className="stage" ref={ref}>
      {screenShares.length > 0 ? (
        <SpeakerLayout
          shares={screenShares}
          participants={participants}
          stripSize={width < 640 ? 2 : 4}
          landscape={landscape && width >= 900}
        />
      ) : (
        <ParticipantGrid
          participants={participants}
          pageSize={gridPageSize(width)}
          landscape={landscape}
        />
      )}
    </div>
  );
}
