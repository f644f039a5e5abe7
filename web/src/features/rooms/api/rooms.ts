import {
  API_PREFIX,
  fetchApi,
  type CreateRoomRequest,
  type Room,
  type RoomListResponse,
  type RoomWithRecording,
  type UpdateRoomRequest,
} from '../../../api';

const roomUrl = (slug: string) => `/rooms/${encodeURIComponent(slug)}`;

/** `GET /api/v1/rooms`: rooms where I have a role, most recently used first. */
export function listRooms(signal?: AbortSignal): Promise<RoomListResponse> {
  return fetchApi<RoomListResponse>('/rooms', { signal });
}

/** `POST /api/v1/rooms`; every field is optional (the server picks a name and defaults). */
export function createRoom(request: CreateRoomRequest = {}): Promise<Room> {
  return fetchApi<Room>('/rooms', { method: 'POST', body: request });
}

/** `GET /api/v1/rooms/{slug}`: anyone may read a room; hosts in a meeting pass their token. */
export function getRoom(
  slug: string,
  options: { readonly bearer?: string; readonly signal?: AbortSignal } = {},
): Promise<RoomWithRecording> {
  return fetchApi<RoomWithRecording>(roomUrl(slug), options);
}

/** `PATCH /api/v1/rooms/{slug}` (hosts): only the fields given change. */
export function updateRoom(slug: string, patch: UpdateRoomRequest, bearer?: string): Promise<Room> {
  return fetchApi<Room>(roomUrl(slug), { method: 'PATCH', body: patch, bearer });
}

/** `DELETE /api/v1/rooms/{slug}` (owner); a running meeting ends. */
export async function deleteRoom(slug: string): Promise<void> {
  await fetchApi<null>(roomUrl(slug), { method: 'DELETE' });
}

/** The calendar invitation: a plain link, the browser downloads the `.ics`. */
export function inviteIcsUrl(slug: string): string {
  return `${API_PREFIX}${roomUrl(slug)}/invite.ics`;
}
