import { useState } from 'react';
import type { Room } from '../../../api';
import { ConfirmDialog, useCopyLink } from '../../../components';
import { useI18n } from '../../../i18n';
import { Link, recordingsPath, roomPath } from '../../../router';
import { deleteRoom, inviteIcsUrl, updateRoom } from '../api/rooms';
import { RoomSettingsDialog } from './RoomSettingsDialog';

interface RoomCardProps {
  readonly room: Room;
  readonly onChanged: (room: Room) => void;
  readonly onDeleted: (slug: string) => void;
}

/**
 * One of my rooms: what it is, and its actions. Each action's name ends with the room's name,
 * visually hidden, so that a list of rooms does not read as a list of identical buttons.
 */
export function RoomCard({ room, onChanged, onDeleted }: RoomCardProps) {
  const { t, tp, locale } = useI18n();
  const [copy, copyLink] = useCopyLink(room.url);
  const [dialog, setDialog] = useState<'settings' | 'delete' | null>(null);
  const isHost = room.my_role === 'owner' || room.my_role === 'admin';
  const when = room.scheduled_at
    ? new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(
        new Date(room.scheduled_at),
      )
    : null;
  const forRoom = <span className="visually-hidden"> {room.name}</span>;

  return (
    <li className="room-card" data-testid="room-item" data-slug={room.slug}>
      <h4 className="room-card__name">{room.name}</h4>
      <ul className="room-card__facts">
        <li>{t('rooms.code', { slug: room.slug })}</li>
        <li>{t(`rooms.access.${room.access}`)}</li>
        {room.locked && <li>{t('rooms.isLocked')}</li>}
        {room.max_participants > 0 && <li>{tp('rooms.capOf', room.max_participants)}</li>}
        {when && <li data-testid="room-scheduled">{t('rooms.scheduledFor', { when })}</li>}
        {room.active && (
          <li className="room-card__live">{tp('rooms.activeNow', room.participants)}</li>
        )}
        {room.my_role && <li>{t(`rooms.role.${room.my_role}`)}</li>}
      </ul>
      <div className="room-card__actions">
        <Link
          href={roomPath(room.slug)}
          className="button button--primary button--small"
          data-testid="room-join"
        >
          {t('rooms.join')}
          {forRoom}
        </Link>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="room-copy-link"
          onClick={copyLink}
        >
          {t('rooms.copyLink')}
          {forRoom}
        </button>
        <a
          href={inviteIcsUrl(room.slug)}
          download={`${room.slug}.ics`}
          className="button button--secondary button--small"
          data-testid="room-ics"
        >
          {t('rooms.invite')}
          {forRoom}
        </a>
        {isHost && (
          <Link
            href={recordingsPath(room.slug)}
            className="button button--secondary button--small"
            data-testid="room-recordings"
          >
            {t('rooms.recordings')}
            {forRoom}
          </Link>
        )}
        {isHost && (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="room-settings"
            onClick={() => setDialog('settings')}
          >
            {t('rooms.settings')}
            {forRoom}
          </button>
        )}
        {room.my_role === 'owner' && (
          <button
            type="button"
            className="button button--danger-outline button--small"
            data-testid="room-delete"
            onClick={() => setDialog('delete')}
          >
            {t('rooms.delete')}
            {forRoom}
          </button>
        )}
      </div>
      <p className="room-card__status" role="status">
        {copy.kind === 'copied' && t('controls.linkCopied')}
        {copy.kind === 'failed' && t('controls.linkCopyFailed', { url: copy.url })}
      </p>
      {dialog === 'settings' && (
        <RoomSettingsDialog
          room={room}
          save={(patch) => updateRoom(room.slug, patch)}
          onSaved={onChanged}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={t('rooms.deleteTitle', { name: room.name })}
          body={<p>{t('rooms.deleteBody')}</p>}
          confirmLabel={t('rooms.delete')}
          confirmTestId="room-delete-confirm"
          testId="room-delete-dialog"
          onConfirm={async () => {
            await deleteRoom(room.slug);
            onDeleted(room.slug);
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </li>
  );
}
