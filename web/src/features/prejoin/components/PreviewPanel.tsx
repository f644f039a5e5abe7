import { useEffect, useRef } from 'react';
import { Icon } from '../../../components';
import { useI18n, type MessageKey } from '../../../i18n';
import type { MediaProblem } from '../../../media';
import { useAudioLevel } from '../hooks/useAudioLevel';

interface PreviewPanelProps {
  readonly videoTrack: MediaStreamTrack | null;
  readonly audioTrack: MediaStreamTrack | null;
  readonly cameraEnabled: boolean;
  readonly microphoneEnabled: boolean;
  readonly onToggleCamera: () => void;
  readonly onToggleMicrophone: () => void;
  readonly initials: string;
}

export function problemMessage(kind: 'camera' | 'microphone', problem: MediaProblem): MessageKey {
  return `prejoin.error.${problem}.${kind}`;
}

/** The mirrored camera preview with its two toggles and the microphone level. */
export function PreviewPanel(props: PreviewPanelProps) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const meter = useRef<HTMLMeterElement>(null);
  useAudioLevel(props.audioTrack, meter);

  useEffect(() => {
    const element = video.current;
    if (!element || !props.videoTrack) return;
    element.srcObject = new MediaStream([props.videoTrack]);
    void element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [props.videoTrack]);

  return (
    <section className="preview" aria-label={t('prejoin.previewLabel')}>
      <div className="preview__frame">
        {props.videoTrack ? (
          <video
            ref={video}
            className="preview__video"
            data-testid="prejoin-preview"
            muted
            playsInline
            autoPlay
          />
        ) : (
          <div className="preview__off">
            <span className="avatar avatar--large" aria-hidden="true">
              {props.initials}
            </span>
            <p>{t('prejoin.cameraIsOff')}</p>
          </div>
        )}
        <div className="preview__toggles">
          <button
            type="button"
            className="round-button"
            data-testid="prejoin-toggle-mic"
            aria-label={t('prejoin.microphoneToggle')}
            aria-pressed={props.microphoneEnabled}
            onClick={props.onToggleMicrophone}
          >
            <Icon name={props.microphoneEnabled ? 'mic' : 'micOff'} />
          </button>
          <button
            type="button"
            className="round-button"
            data-testid="prejoin-toggle-camera"
            aria-label={t('prejoin.cameraToggle')}
            aria-pressed={props.cameraEnabled}
            onClick={props.onToggleCamera}
          >
            <Icon name={props.cameraEnabled ? 'camera' : 'cameraOff'} />
          </button>
        </div>
      </div>
      <div className="preview__meter" hidden={!props.audioTrack}>
        <Icon name="mic" />
        <meter
          ref={meter}
          className="level-meter"
          aria-label={t('prejoin.micLevel')}
          min={0}
          max={1}
          low={0.25}
          high={0.85}
          optimum={0.5}
          value={0}
        />
      </div>
    </section>
  );
}
