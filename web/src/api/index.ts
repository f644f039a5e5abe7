export { ApiError, NetworkError, type ApiErrorBody } from './ApiError';
export { errorCode, errorText } from './errorText';
export { fetchApi, setCsrfToken, API_PREFIX, type FetchApiOptions } from './fetchApi';
export type * from './types';
