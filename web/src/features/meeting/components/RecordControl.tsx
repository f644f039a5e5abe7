import { useEffect, useState, useSyncExternalStore } from 'react';
import { ConfirmDialog } from '../../../components';
import { useConference } from '../../../conference';
import { useI18n } from '../../../i18n';
import type { ModerationClient } from '../../moderation';
import { RecordingControlStore, StartRecordingDialog } from '../../recordings';
import { Control } from './Control';

/**
 * Hosts' Record control: opens the start dialog (video or audio, transcript), and once a
 * recording runs, becomes "Stop recording" (confirmed). The same button stays in place, so the
 * focus returns to it after either dialog.
 */
export function RecordControl({ client }: { readonly client: ModerationClient }) {
  const { t } = useI18n();
  const { recording: live } = useConference();
  const [store] = useState(() => new RecordingControlStore(client, live));
  const { phase } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [dialog, setDialog] = useState<'start' | 'stop' | null>(null);
  useEffect(() => store.setLive(live), [store, live]);

  const running = phase === 'recording' || phase === 'stopping';
  return (
    <>
      <Control
        icon={running ? 'stopRecording' : 'record'}
        label={running ? 'recording.stop' : 'recording.record'}
        testId={running ? 'record-stop' : 'record-start'}
        variant={running ? 'active' : undefined}
        opensDialog
        onClick={() => setDialog(running ? 'stop' : 'start')}
      />
      {dialog === 'start' && (
        <StartRecordingDialog
          onStart={(request) => store.start(request)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'stop' && (
        <ConfirmDialog
          title={t('recording.stopTitle')}
          body={<p>{t('recording.stopBody')}</p>}
          confirmLabel={t('recording.stop')}
          testId="record-stop-dialog"
          confirmTestId="record-stop-confirm"
          onConfirm={() => store.stop()}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
