/** How a call to the API authenticates: a session cookie, a driver's bearer token, an API key, or not at all. */
export type Auth = { cookie: string } | { bearer: string } | { key: string } | null;

/**
 * A JSON caller for the running server at `baseUrl()`. A cookie call sends the Origin the CSRF check
 * wants; the answer's session cookie, when it sets one, is returned with its status and body.
 */
export function apiCaller(baseUrl: () => string) {
  return async function call(method: string, url: string, auth: Auth, body?: unknown) {
    const base = baseUrl();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && 'cookie' in auth) Object.assign(headers, { Cookie: `baton_session=${auth.cookie}`, Origin: base });
    if (auth && 'bearer' in auth) headers.Authorization = `Bearer ${auth.bearer}`;
    if (auth && 'key' in auth) headers.Authorization = `Basic ${btoa(`${auth.key}:`)}`;
    const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const cookie = res.headers
      .getSetCookie()
      .map((c) => /^baton_session=([^;]+)/.exec(c)?.[1])
      .find(Boolean);
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, cookie };
  };
}
