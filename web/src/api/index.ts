export { ApiError, NetworkError, type ApiErrorBody } from './ApiError';
export { fetchApi, API_PREFIX, type FetchApiOptions } from './fetchApi';
