/**
 * The pages the server hands to browsers: the team's web app (the Vite build in dist/web, source in
 * web/app) and the reporters' public pages (the report form and the portal, plain files in web/).
 *
 * - The app's hashed assets (/assets/…) come from @fastify/static and may be cached for ever: their
 *   names change with their content, and they hold no case data.
 * - Its index.html answers `/` and every other GET a browser makes outside /api and /assets, so a
 *   client-side route (/cases/EMB-2026-0001) survives a reload. It is read on each request (a
 *   rebuild is picked up without a restart) and never cached.
 * - Nothing under /api is cached by the browser: answers to a signed-in user carry embargoed data.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the web app (vite.config.ts: build.outDir). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const PUBLIC_PAGES_DIR = new URL('../../web/', import.meta.url);

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Embargo</title></head>
<body><main><h1>Embargo</h1><p>The web app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds what is stale) and reload.</p></main></body></html>
`;

/** The reporters' pages and the stylesheet they share, read once at start. */
async function publicPages(server: FastifyInstance): Promise<void> {
  const files: [string, string, string][] = [
    ['/report', 'report.html', 'text/html; charset=utf-8'],
    ['/report.js', 'report.js', 'text/javascript; charset=utf-8'],
    ['/portal.js', 'portal.js', 'text/javascript; charset=utf-8'],
    ['/app.css', 'app.css', 'text/css; charset=utf-8'],
    ['/portal.css', 'portal.css', 'text/css; charset=utf-8'],
  ];
  for (const [url, file, type] of files) {
    const body = await readFile(fileURLToPath(new URL(file, PUBLIC_PAGES_DIR)), 'utf8');
    server.get(url, { config: { auth: 'public', cacheable: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).send(body),
    );
  }
}

export interface WebApp {
  /** For the not-found handler: answers a browser's GET outside /api and /assets with the app. */
  fallback(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export async function webRoutes(server: FastifyInstance, webRoot: string = DEFAULT_WEB_ROOT): Promise<WebApp> {
  await publicPages(server);

  // Every other answer (the API above all) is no-store: installNoStore in server.ts sees to it.
  await server.register(async (assets) => {
    // @fastify/static takes no route config: its routes are public and cacheable (hashed names), and say so in the route list.
    assets.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'public', cacheable: true };
    });
    await assets.register(fastifyStatic, {
      root: path.join(webRoot, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      maxAge: '365d',
      immutable: true,
      serveDotFiles: false,
    });
  });

  const sendIndex = async (reply: FastifyReply) => {
    const html = await readFile(path.join(webRoot, 'index.html'), 'utf8').catch(() => null);
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return html === null ? reply.status(503).send(NOT_BUILT) : reply.send(html);
  };
  server.get('/', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => sendIndex(reply));

  return {
    async fallback(request, reply) {
      const pathname = request.url.split('?')[0] ?? '';
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (pathname.startsWith('/api/') || pathname.startsWith('/assets/')) return false;
      await sendIndex(reply);
      return true;
    },
  };
}
