import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Router, type Request, type Response } from 'express';

/** The screens the workbench answers its index.html for (each screen has its own shareable address). */
export const WORKBENCH_SCREENS = ['policies', 'editor', 'tests', 'playground', 'diff', 'changes', 'audit'] as const;
const PER_POLICY = new Set(['editor', 'tests', 'diff']);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** Reads the built files once at start: the set is immutable for the life of the process (names carry hashes). */
function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else if (!/\.(br|gz)$/.test(name)) {
        const file = join(dir, rel);
        const asset: Asset = { type: TYPES[extname(name)] ?? 'application/octet-stream', identity: readFileSync(file) };
        if (existsSync(`${file}.br`)) asset.br = readFileSync(`${file}.br`);
        if (existsSync(`${file}.gz`)) asset.gzip = readFileSync(`${file}.gz`);
        out.set(rel, asset);
      }
    }
  };
  walk('');
  return out;
}

function accepts(req: Request, coding: string): boolean {
  return new RegExp(`(^|,)\\s*${coding}\\s*(;\\s*q=(?!0(\\.0+)?\\s*(,|$))[0-9.]+)?\\s*(,|$)`).test(req.headers['accept-encoding'] ?? '');
}

function send(req: Request, res: Response, asset: Asset, cache: string): void {
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Cache-Control', cache);
  res.setHeader('Vary', 'Accept-Encoding');
  const [body, coding] = asset.br && accepts(req, 'br') ? [asset.br, 'br'] : asset.gzip && accepts(req, 'gzip') ? [asset.gzip, 'gzip'] : [asset.identity, undefined];
  if (coding) res.setHeader('Content-Encoding', coding);
  res.setHeader('Content-Length', body.length);
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

/** Whether a path under /workbench is one of the app's screens (so it gets index.html rather than a 404). */
export function isScreenPath(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return true;
  const [screen, id, ...rest] = parts;
  if (!(WORKBENCH_SCREENS as readonly string[]).includes(screen!) || rest.length) return false;
  return id === undefined || (PER_POLICY.has(screen!) && /^[a-z][a-z0-9-]{0,63}$/.test(id));
}

/**
 * Serves the built workbench (dist/web, made by `vite build` at `npm ci`) at /workbench/: hashed assets
 * precompressed at build time with a year's immutable cache, index.html (never cached, so a new build is seen
 * at once) for every screen address. The API's helmet headers and CSP apply unchanged: the build has no inline
 * script and no eval. Open: the app itself holds no data; every call it makes carries the user's key.
 */
export function workbenchRoutes(dir: string): Router {
  const r = Router();
  const assets = existsSync(join(dir, 'index.html')) ? loadAssets(dir) : undefined;
  r.use('/workbench', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/workbench/');
    if (!assets) {
      res.status(503).type('text/plain').send('The workbench is not built: run `npm run build:web` (npm ci does it).\n');
      return;
    }
    const rel = req.path.replace(/^\//, '');
    const asset = rel.startsWith('assets/') ? assets.get(rel) : undefined;
    if (asset) return send(req, res, asset, 'public, max-age=31536000, immutable');
    if (isScreenPath(req.path)) return send(req, res, assets.get('index.html')!, 'no-cache');
    next();
  });
  return r;
}

/**
 * dist/web under the package root, found from this module whether it runs compiled (dist/src/…) or from src/.
 * dist/ holds a package.json of its own (tsc copies the one main.ts imports), so the root is the first folder
 * up with a package.json that is not dist/ itself.
 */
export function defaultWorkbenchDir(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'dist' && existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return join(from, 'web');
  }
}
