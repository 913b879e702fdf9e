/** The server's error body (CONVENTIONS.md §3), thrown by `api` for any non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { pointer: string; code: string; message: string }[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** Messages per field key, from details pointers like `/amount`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const key = d.pointer.split('/').filter(Boolean).pop();
      if (key && !out[key]) out[key] = d.message;
    }
    return out;
  }
}

export interface Api {
  get<T = any>(path: string): Promise<T>;
  send<T = any>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** Same-origin JSON calls with the session cookie; the UI language goes along as Accept-Language. */
export function createApi(lang: () => string): Api {
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'accept-language': lang(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, json.code ?? 'CRM_ERR_INTERNAL', json.message ?? res.statusText, json.details ?? [], json);
    return json as T;
  }
  return {
    get: (path) => call('GET', path),
    send: (method, path, body, headers) => call(method, path, body, headers),
  };
}
