/** A small HTTP client for integration tests: keeps the session cookie and sends the CSRF token. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  cookie: string | null = null;
  csrf: string | null = null;
  bearer: string | null = null;
  locale: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h['content-type'] ??= 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] ??= this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.locale) h['x-crm-locale'] = this.locale;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Sends raw bytes as the body (file uploads). */
  upload = <T = any>(path: string, bytes: Uint8Array) => this.request<T>('POST', path, bytes, { 'content-type': 'application/octet-stream' });
  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body: unknown = {}, headers?: Record<string, string>) => this.request<T>('POST', path, body, headers);
  patch = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', path, body, headers);
  put = <T = any>(path: string, body: unknown, headers?: Record<string, string>) => this.request<T>('PUT', path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('DELETE', path, undefined, headers);

  /** Signs in; throws unless it worked. */
  async login(login: string, password: string): Promise<this> {
    const res = await this.post('/api/v1/auth/login', { login, password });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrf = res.body.csrfToken;
    return this;
  }
}
