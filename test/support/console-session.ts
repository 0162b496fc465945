/**
 * Signs in to the local console the way a browser does, over plain HTTP: a one-time login link, the
 * stack's sign-in route, the local hosted login's authorize endpoint, the console's callback (which
 * exchanges the code with PKCE). Returns the cookies the browser would hold, as a Cookie header.
 */

/** Cookies by name, as a browser on one origin keeps them (a Max-Age=0 cookie is removed). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.trim().split('=');
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** Follows redirects by hand, keeping cookies; stops at the first answer that is not a redirect. */
export async function browse(url: string, jar: CookieJar, maxHops = 10): Promise<{ res: Response; url: string; visited: string[] }> {
  const visited: string[] = [];
  let current = url;
  for (let hop = 0; hop < maxHops; hop++) {
    visited.push(current);
    const res = await fetch(current, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { res, url: current, visited };
    await res.arrayBuffer();
    current = new URL(location, current).toString();
  }
  throw new Error(`more than ${maxHops} redirects from ${url}`);
}

/** The console session a login link opens: the Cookie header to send with console requests. */
export async function consoleSession(loginLink: string): Promise<string> {
  const jar = new CookieJar();
  const { res, visited } = await browse(loginLink, jar);
  const body = await res.text();
  if (res.status !== 200 || !jar.get('complaint_loop_session')) {
    throw new Error(`sign-in did not complete (${res.status} at ${visited.at(-1)}): ${body.slice(0, 300)}`);
  }
  return jar.header();
}
