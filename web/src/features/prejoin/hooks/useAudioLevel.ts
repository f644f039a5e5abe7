import { useEffect, type RefObject } from 'react';

/**
 * Measures a microphone track and writes its level (0..1) into a `<meter>`, without
 * re-rendering React. Browsers start an AudioContext suspended until a user gesture, so the
 * first click or key press anywhere resumes it.
 */
export function useAudioLevel(
  track: MediaStreamTrack | null,
  meter: RefObject<HTMLMeterElement | null>,
) {
  useEffect(() => {
    const element = meter.current;
    if (!track || !element || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let smoothed = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around -40..-10 dBFS: map -60..0 dB onto 0..1 and smooth the fall.
      const level = Math.min(1, Math.max(0, (20 * Math.log10(rms || 1e-8) + 60) / 60));
      smoothed = Math.max(level, smoothed * 0.85);
      element.value = Math.round(smoothed * 100) / 100;
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    const resume = () => void context.resume().catch(() => undefined);
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('pointerdown', resume);
      document.removeEventListener('keydown', resume);
      source.disconnect();
      void context.close().catch(() => undefined);
      element.value = 0;
    };
  }, [track, meter]);
}
