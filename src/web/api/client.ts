import type { ApiErrorBody } from '../../common/schemas/common';

/** A field the server refused, with its message already in the interface language. */
export interface FieldError {
  /** Dotted field name, e.g. "name" or "dataScopes.customer". */
  path: string;
  message: string;
}

/** A refused request: the server's error code, its localized message and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  /**
   * Send the interface language (default). The sign-in check leaves it out so that
   * the server answers with the language the user saved.
   */
  sendLocale?: boolean;
  /** Call the unauthorized handler on 401 (default); the sign-in check and the sign-in itself do not. */
  handleUnauthorized?: boolean;
}

interface ClientState {
  csrfToken: string | null;
  locale: () => string;
  /** Message for failures without a server answer (network down, proxy errors). */
  networkMessage: () => string;
  onUnauthorized: () => void;
}

const state: ClientState = {
  csrfToken: null,
  locale: () => 'zh-CN',
  networkMessage: () => 'Network error',
  onUnauthorized: () => undefined,
};

/** Wires the client to the session and the interface language; called once at start-up and on sign-in. */
export function configureApi(changes: Partial<ClientState>): void {
  Object.assign(state, changes);
}

export const API_BASE = '/api/v1';

function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  return typeof data === 'object' && data !== null && 'error' in data && typeof (data as ApiErrorBody).error?.code === 'string';
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.sendLocale !== false) headers['X-CRM-Locale'] = state.locale();
  if (method !== 'GET' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  // the server refuses a JSON request without a body, so body-carrying methods always send one
  const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  if (hasBody) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(API_BASE + path + queryString(opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: hasBody ? JSON.stringify(opts.body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', state.networkMessage());
  }
  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw refusal(res.status, data, opts.handleUnauthorized !== false);
  return data as T;
}

/** The error of a refused request (its JSON body, when it has one). */
function refusal(status: number, data: unknown, handleUnauthorized = true): ApiError {
  if (status === 401 && handleUnauthorized) state.onUnauthorized();
  if (isErrorBody(data)) return new ApiError(status, data.error.code, data.error.message, data.error.fields ?? []);
  return new ApiError(status, `HTTP_${status}`, state.networkMessage());
}

/** The name in a Content-Disposition header: the UTF-8 one (filename*) when there is one. */
function dispositionName(header: string | null): string | undefined {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '');
  if (utf8) return decodeURIComponent(utf8[1]!);
  return /filename="([^"]+)"/i.exec(header ?? '')?.[1];
}

/**
 * Downloads a file the server makes (an export) and hands it to the browser
 * to save. Fetched rather than navigated to, so the request carries the
 * interface language and a refusal shows as an error instead of a saved page.
 */
async function download(path: string, query?: QueryParams): Promise<void> {
  let res: Response;
  try {
    res = await fetch(API_BASE + path + queryString(query), { headers: { 'X-CRM-Locale': state.locale() }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', state.networkMessage());
  }
  if (!res.ok) throw refusal(res.status, await res.json().catch(() => undefined));
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = dispositionName(res.headers.get('content-disposition')) ?? 'download';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // the browser has taken the file once the click is handled
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Uploads a file as the request body (application/octet-stream), with the same
 * headers as other writes (CSRF token, language). XMLHttpRequest rather than
 * fetch, because only it reports the upload's progress.
 */
function upload<T>(path: string, query: QueryParams, file: Blob, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API_BASE + path + queryString(query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-CRM-Locale', state.locale());
    if (state.csrfToken) xhr.setRequestHeader('X-CSRF-Token', state.csrfToken);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', state.networkMessage()));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      reject(refusal(xhr.status, data));
    };
    xhr.send(file);
  });
}

export const api = {
  upload,
  download,
  get: <T>(path: string, query?: QueryParams, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T = void>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body }),
  put: <T = void>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...opts, body }),
  patch: <T = void>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string, query?: QueryParams) => request<T>('DELETE', path, { query }),
};
