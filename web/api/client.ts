import createClient, { type Middleware } from 'openapi-fetch';
import { getKey } from '../session';
import { getLang } from '../i18n';
import type { paths } from './schema';

/** An RFC 9457 problem as the service answers it. */
export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { pointer?: string; detail?: string }[];
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = getKey();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    request.headers.set('Accept-Language', getLang());
    return request;
  },
};

/** The typed client, generated from the service's own openapi.json (npm run gen:web-api). */
export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/**
 * Untyped calls for routes the committed openapi.json may not describe yet (the publication API), with the same
 * headers as the typed client. Answers the parsed JSON, or throws the problem.
 */
export async function call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': getLang() };
  const key = getKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) throw toProblem(res.status, parsed);
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object') return { status, ...(body as object) } as Problem;
  return { status, detail: typeof body === 'string' ? body.slice(0, 300) : `HTTP ${status}` };
}

/** Unwraps an openapi-fetch answer: the data, or throws the problem. */
export function must<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || !r.response.ok) throw toProblem(r.response.status, r.error);
  return r.data as T;
}

export function problemText(e: unknown): string {
  if (e && typeof e === 'object' && 'status' in e) {
    const p = e as Problem;
    const fields = (p.errors ?? []).map((f) => `${f.pointer ?? ''} ${f.detail ?? ''}`.trim()).join('; ');
    return [`${p.status}${p.code ? ` ${p.code}` : ''}`, p.detail ?? p.title, fields].filter(Boolean).join(' — ');
  }
  return e instanceof Error ? e.message : String(e);
}
