import { fetchApi, type Recording, type RecordingListResponse } from '../../../api';

/*
 * The recordings calls made outside a meeting, on the browser session (the recordings page).
 * In a meeting, hosts start and stop recordings through `ModerationClient`, with their token.
 */

const recordingUrl = (id: string) => `/recordings/${encodeURIComponent(id)}`;

/** `GET /api/v1/rooms/{slug}/recordings` (hosts): newest first. */
export function listRecordings(slug: string, signal?: AbortSignal): Promise<RecordingListResponse> {
  return fetchApi<RecordingListResponse>(`/rooms/${encodeURIComponent(slug)}/recordings`, {
    signal,
  });
}

/** `GET /api/v1/recordings/{id}`: hosts, or the user who started it. */
export function getRecording(id: string, signal?: AbortSignal): Promise<Recording> {
  return fetchApi<Recording>(recordingUrl(id), { signal });
}

/** `DELETE /api/v1/recordings/{id}`: files and row; 409 `recording_running` while it runs. */
export async function deleteRecording(id: string): Promise<void> {
  await fetchApi<null>(recordingUrl(id), { method: 'DELETE' });
}

/** `POST /api/v1/recordings/{id}/shares`: lets a user (login name or e-mail) read and play it. */
export async function shareRecording(id: string, user: string): Promise<void> {
  await fetchApi<null>(`${recordingUrl(id)}/shares`, { method: 'POST', body: { user } });
}
