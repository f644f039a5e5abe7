import { useState } from 'react';
import type { Room } from '../../../api';
import { ConfirmDialog } from '../../../components';
import { useI18n } from '../../../i18n';
import type { Moderation } from '../../moderation';
import { RoomSettingsDialog } from '../../rooms';
import { Control } from './Control';
import { RecordControl } from './RecordControl';

/**
 * Hosts' controls beside Leave: Record / Stop recording, the room's settings (lock, access, who
 * may publish…), read fresh from the server when opened, and "End meeting for everyone".
 */
export function HostControls({ moderation }: { readonly moderation: Moderation }) {
  const { t } = useI18n();
  const { client } = moderation;
  const [room, setRoom] = useState<Room | null>(moderation.room);
  const [dialog, setDialog] = useState<'settings' | 'end' | null>(null);

  const openSettings = async () => {
    // Fall back on the last known settings when the refetch fails: the PATCH still works.
    const fresh = await client.getRoom().catch(() => null);
    if (fresh) setRoom(fresh);
    if (fresh ?? room) setDialog('settings');
  };

  return (
    <>
      <RecordControl client={client} />
      <Control
        icon="settings"
        label="host.roomSettings"
        testId="room-settings-open"
        opensDialog
        onClick={() => void openSettings()}
      />
      <Control
        icon="endMeeting"
        label="host.endMeeting"
        testId="end-meeting"
        variant="danger"
        opensDialog
        onClick={() => setDialog('end')}
      />
      {dialog === 'settings' && room && (
        <RoomSettingsDialog
          room={room}
          save={(patch) => client.updateRoom(patch)}
          onSaved={setRoom}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'end' && (
        <ConfirmDialog
          title={t('host.endTitle')}
          body={<p>{t('host.endBody')}</p>}
          confirmLabel={t('host.endMeeting')}
          testId="end-meeting-dialog"
          confirmTestId="end-meeting-confirm"
          onConfirm={() => client.end()}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
