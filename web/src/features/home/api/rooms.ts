import { fetchApi } from '../../../api';

/** `POST /api/v1/rooms` answer. */
export interface CreatedRoom {
  readonly slug: string;
  readonly url: string;
  readonly name: string;
}

/** `GET /api/v1/config` answer. */
export interface ServerConfig {
  readonly version: string;
  readonly dev: boolean;
}

export function createRoom(name?: string): Promise<CreatedRoom> {
  return fetchApi<CreatedRoom>('/rooms', { method: 'POST', body: name ? { name } : {} });
}

export function getServerConfig(signal?: AbortSignal): Promise<ServerConfig> {
  return fetchApi<ServerConfig>('/config', { signal });
}
