import {
  fetchApi,
  type LoginResponse,
  type LogoutResponse,
  type MeResponse,
  type ServerConfig,
} from '../api';

/** The calls the session store makes; an object so that tests can hand in fakes. */
export interface SessionApi {
  getMe(): Promise<MeResponse>;
  getConfig(): Promise<ServerConfig>;
  login(username: string, password: string): Promise<LoginResponse>;
  logout(): Promise<LogoutResponse>;
}

export const sessionApi: SessionApi = {
  getMe: () => fetchApi<MeResponse>('/me'),
  getConfig: () => fetchApi<ServerConfig>('/config'),
  login: (username, password) =>
    fetchApi<LoginResponse>('/auth/login', { method: 'POST', body: { username, password } }),
  logout: () => fetchApi<LogoutResponse>('/auth/logout', { method: 'POST' }),
};
