import type {
  AccessLevel,
  CreateRoomRequest,
  PublishPolicy,
  Room,
  UpdateRoomRequest,
} from '../../../api';
import { fromLocalInput, toLocalInput } from './roomSchedule';

/** What the room forms edit, as the inputs hold it (numbers and dates as typed). */
export interface RoomDraft {
  readonly name: string;
  readonly access: AccessLevel;
  /** The participant cap as typed; '' or '0': no cap. */
  readonly maxParticipants: string;
  readonly locked: boolean;
  readonly publish: PublishPolicy;
  /** "Meeting for later": a `datetime-local` value, or '' for none. */
  readonly scheduledAt: string;
}

export const DEFAULT_PUBLISH: PublishPolicy = {
  camera: 'everyone',
  microphone: 'everyone',
  screen_share: 'everyone',
};

export const emptyDraft: RoomDraft = {
  name: '',
  access: 'public',
  maxParticipants: '',
  locked: false,
  publish: DEFAULT_PUBLISH,
  scheduledAt: '',
};

export function draftFromRoom(room: Room): RoomDraft {
  return {
    name: room.name,
    access: room.access,
    maxParticipants: room.max_participants > 0 ? String(room.max_participants) : '',
    locked: room.locked,
    publish: room.publish,
    scheduledAt: toLocalInput(room.scheduled_at),
  };
}

/** What is wrong with a draft, as message keys per field; empty when it can be sent. */
export interface DraftProblems {
  readonly maxParticipants?: 'rooms.capInvalid';
  readonly scheduledAt?: 'rooms.scheduleInvalid';
}

export function checkDraft(draft: RoomDraft, scheduled: boolean): DraftProblems {
  const cap = draft.maxParticipants.trim();
  return {
    ...(cap && !/^\d{1,6}$/.test(cap) ? { maxParticipants: 'rooms.capInvalid' as const } : {}),
    ...(scheduled && !fromLocalInput(draft.scheduledAt)
      ? { scheduledAt: 'rooms.scheduleInvalid' as const }
      : {}),
  };
}

const capOf = (draft: RoomDraft) => Number(draft.maxParticipants.trim() || '0');

/** The `POST /rooms` body for a checked draft; `scheduled`: "meeting for later" is ticked. */
export function createRequest(draft: RoomDraft, scheduled: boolean): CreateRoomRequest {
  const name = draft.name.trim();
  const scheduledAt = scheduled ? fromLocalInput(draft.scheduledAt) : null;
  return {
    ...(name ? { name } : {}),
    access: draft.access,
    max_participants: capOf(draft),
    ...(scheduledAt ? { scheduled_at: scheduledAt } : {}),
  };
}

/** The `PATCH` body: only what differs from the room (`publish` is always sent whole). */
export function updateRequest(room: Room, draft: RoomDraft): UpdateRoomRequest {
  const name = draft.name.trim();
  const scheduledAt = fromLocalInput(draft.scheduledAt);
  const samePublish = (Object.keys(draft.publish) as (keyof PublishPolicy)[]).every(
    (key) => draft.publish[key] === room.publish[key],
  );
  const sameSchedule =
    (scheduledAt === null && room.scheduled_at === null) ||
    (scheduledAt !== null &&
      room.scheduled_at !== null &&
      Date.parse(scheduledAt) === Date.parse(room.scheduled_at));
  return {
    ...(name && name !== room.name ? { name } : {}),
    ...(draft.access !== room.access ? { access: draft.access } : {}),
    ...(capOf(draft) !== room.max_participants ? { max_participants: capOf(draft) } : {}),
    ...(draft.locked !== room.locked ? { locked: draft.locked } : {}),
    ...(samePublish ? {} : { publish: draft.publish }),
    ...(sameSchedule ? {} : { scheduled_at: scheduledAt }),
  };
}
