import { useId, useState, type FormEvent } from 'react';
import { initialsOf, LightPage, useDocumentTitle } from '../../../components';
import type { MediaChoices } from '../../../conference';
import { useI18n } from '../../../i18n';
import { canCaptureMedia, canSelectAudioOutput } from '../../../media';
import {
  browserStorage,
  loadPreferences,
  MAX_NAME_LENGTH,
  savePreferences,
  type JoinPreferences,
} from '../hooks/preferences';
import { useDevices } from '../hooks/useDevices';
import { useLocalTrack } from '../hooks/useLocalTrack';
import { DeviceSelect } from './DeviceSelect';
import { MediaProblems } from './MediaProblems';
import { PreviewPanel } from './PreviewPanel';
import { RecordingNotice } from './RecordingNotice';

export interface PreJoinPageProps {
  readonly slug: string;
  readonly joining: boolean;
  /** Shown as is: the server's `message`, or a translated network error. */
  readonly joinError: string | null;
  /**
   * Signed in on a server that forces account names: the name is not asked (the server would
   * ignore it) and this one is shown instead.
   */
  readonly accountName?: string | null;
  /** The signed-in user's name, offered when no name was remembered. */
  readonly suggestedName?: string;
  /** The room is being recorded (`Room.recording`): people are told before they enter. */
  readonly recording?: boolean;
  readonly onJoin: (name: string, choices: MediaChoices) => void;
}

/** Camera and microphone check, device choice and display name before entering a room. */
export function PreJoinPage({
  slug,
  joining,
  joinError,
  accountName = null,
  suggestedName = '',
  recording = false,
  onJoin,
}: PreJoinPageProps) {
  const { t } = useI18n();
  const id = useId();
  useDocumentTitle(t('prejoin.title'));
  const [prefs, setPrefs] = useState<JoinPreferences>(() => loadPreferences(browserStorage()));
  const [nameMissing, setNameMissing] = useState(false);
  // The account's name fills an empty name field, also when the session loads after the page.
  const [nameTouched, setNameTouched] = useState(false);
  const name = prefs.name || (nameTouched ? '' : suggestedName);

  const camera = useLocalTrack('video', prefs.cameraEnabled, prefs.cameraDeviceId);
  const microphone = useLocalTrack('audio', prefs.microphoneEnabled, prefs.microphoneDeviceId);
  const cameras = useDevices('videoinput', camera.track);
  const microphones = useDevices('audioinput', microphone.track);
  const speakers = useDevices('audiooutput', microphone.track);

  const update = (patch: Partial<JoinPreferences>) => {
    setPrefs((current) => {
      const next = { ...current, ...patch };
      savePreferences(browserStorage(), next);
      return next;
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = accountName ?? name.trim();
    if (!chosen) {
      setNameMissing(true);
      document.getElementById(`${id}-name`)?.focus();
      return;
    }
    onJoin(chosen, {
      // A device that failed would fail again in the meeting: join without it.
      cameraEnabled: prefs.cameraEnabled && !camera.problem && canCaptureMedia(),
      microphoneEnabled: prefs.microphoneEnabled && !microphone.problem && canCaptureMedia(),
      cameraDeviceId: prefs.cameraDeviceId,
      microphoneDeviceId: prefs.microphoneDeviceId,
      speakerDeviceId: canSelectAudioOutput() ? prefs.speakerDeviceId : undefined,
    });
  };

  return (
    <LightPage>
      <main id="main" className="prejoin" tabIndex={-1}>
        <div className="prejoin__intro">
          <h1 className="prejoin__title">{t('prejoin.title')}</h1>
          <p className="prejoin__code">{t('prejoin.roomCode', { slug })}</p>
          <RecordingNotice id={`${id}-recording`} recording={recording} />
        </div>
        <div className="prejoin__layout">
          <div className="prejoin__media">
            <PreviewPanel
              videoTrack={camera.track}
              audioTrack={microphone.track}
              cameraEnabled={prefs.cameraEnabled}
              microphoneEnabled={prefs.microphoneEnabled}
              onToggleCamera={() => update({ cameraEnabled: !prefs.cameraEnabled })}
              onToggleMicrophone={() => update({ microphoneEnabled: !prefs.microphoneEnabled })}
              initials={initialsOf(accountName ?? name)}
            />
            <MediaProblems
              camera={prefs.cameraEnabled ? camera.problem : null}
              microphone={prefs.microphoneEnabled ? microphone.problem : null}
              unsupported={!canCaptureMedia()}
              onRetry={() => {
                camera.retry();
                microphone.retry();
              }}
            />
          </div>
          <form
            className="prejoin__form"
            onSubmit={onSubmit}
            noValidate
            aria-labelledby={`${id}-settings`}
          >
            <h2 id={`${id}-settings`} className="prejoin__subtitle">
              {t('prejoin.settingsHeading')}
            </h2>
            {accountName !== null ? (
              <p className="prejoin__account" data-testid="prejoin-account-name">
                {t('prejoin.joiningAs', { name: accountName })}
              </p>
            ) : (
              <div className="field">
                <label htmlFor={`${id}-name`} className="field-label">
                  {t('prejoin.nameLabel')}
                </label>
                <input
                  id={`${id}-name`}
                  className="input"
                  type="text"
                  autoComplete="name"
                  maxLength={MAX_NAME_LENGTH}
                  data-testid="prejoin-name"
                  value={name}
                  aria-invalid={nameMissing}
                  aria-describedby={nameMissing ? `${id}-name-error` : undefined}
                  onChange={(event) => {
                    update({ name: event.target.value });
                    setNameTouched(true);
                    setNameMissing(false);
                  }}
                />
                {nameMissing && (
                  <p id={`${id}-name-error`} className="form-error" role="alert">
                    {t('prejoin.nameRequired')}
                  </p>
                )}
              </div>
            )}
            <DeviceSelect
              label="prejoin.camera"
              testId="prejoin-camera-select"
              devices={cameras}
              value={prefs.cameraDeviceId}
              onChange={(cameraDeviceId) => update({ cameraDeviceId })}
            />
            <DeviceSelect
              label="prejoin.microphone"
              testId="prejoin-mic-select"
              devices={microphones}
              value={prefs.microphoneDeviceId}
              onChange={(microphoneDeviceId) => update({ microphoneDeviceId })}
            />
            {canSelectAudioOutput() && (
              <DeviceSelect
                label="prejoin.speaker"
                testId="prejoin-speaker-select"
                devices={speakers}
                value={prefs.speakerDeviceId}
                onChange={(speakerDeviceId) => update({ speakerDeviceId })}
              />
            )}
            {joinError && (
              <p className="form-error" role="alert" data-testid="join-error">
                {t('prejoin.joinError', { message: joinError })}
              </p>
            )}
            <button
              type="submit"
              className="button button--primary button--large button--block"
              data-testid="join"
              aria-describedby={recording ? `${id}-recording` : undefined}
              disabled={joining}
              aria-busy={joining}
            >
              {joining ? t('prejoin.joining') : t('prejoin.join')}
            </button>
          </form>
        </div>
      </main>
    </LightPage>
  );
}
