import type { FastifyInstance } from 'fastify';

export interface SecurityHeaderOptions {
  /** Hosts the apps load images from besides our own: the map's tile servers. */
  imageSources?: readonly string[];
}

/**
 * The two apps' Content-Security-Policy. Scripts only from our own files (Vite emits no inline
 * script), so an injected `<script>` in a report's text cannot run even if a page rendered it as
 * HTML. Inline style attributes stay allowed: Vant and Element Plus position popups with them.
 */
export function appContentSecurityPolicy(options: SecurityHeaderOptions = {}): string {
  const images = ["'self'", 'data:', 'blob:', ...(options.imageSources ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${images}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every answer carries (see below). */
const EVERY_ANSWER = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()',
};

/**
 * Headers on every answer: no MIME sniffing, no framing (clickjacking of the console), no
 * referrer leaking a case link to a tile server, and the phone features the H5 needs (position
 * and camera) for our own origin only. The CSP goes on the apps' HTML; the API docs page (/docs)
 * brings its own.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions = {}) {
  const csp = appContentSecurityPolicy(options);
  // A callback hook, not an async one: it runs on every answer, and a promise each costs more than the headers.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(EVERY_ANSWER);
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html') && !request.url.startsWith('/docs')) {
      reply.header('content-security-policy', csp);
    }
    done(null, payload);
  });
}

/**
 * The image source a tile URL template needs in the CSP: `https://webrd0{s}.is.autonavi.com/…`
 * becomes `https://*.is.autonavi.com`; a template on our own server needs nothing.
 */
export function tileImageSource(template: string | undefined): string[] {
  if (!template || template.startsWith('/') || template === 'local') return [];
  try {
    const url = new URL(template.replaceAll('{', '').replaceAll('}', ''));
    const host = /\{s\}|\{[a-z]\}/.test(template.split('/')[2] ?? '') ? `*.${url.hostname.split('.').slice(1).join('.')}` : url.hostname;
    return [`${url.protocol}//${host}`];
  } catch {
    return [];
  }
}
