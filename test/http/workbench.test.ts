import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { defaultWorkbenchDir, isScreenPath, workbenchRoutes } from '../../src/adapters/web/workbench.js';
import { ROOT } from '../helpers/app.js';

const INDEX = '<!doctype html><title>wb</title><script type="module" src="/workbench/assets/index-AbC123.js"></script>';
const JS = `console.log(${JSON.stringify('x'.repeat(2000))});`;

/** A built workbench as vite leaves it: index.html and hashed assets, each with .br and .gz beside it. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tideover-wb-'));
  mkdirSync(join(dir, 'assets'));
  for (const [rel, body] of [['index.html', INDEX], ['assets/index-AbC123.js', JS]] as const) {
    writeFileSync(join(dir, rel), body);
    writeFileSync(join(dir, `${rel}.br`), brotliCompressSync(body));
    writeFileSync(join(dir, `${rel}.gz`), gzipSync(body));
  }
  return dir;
}

function app(dir: string) {
  const a = express();
  a.use(helmet());
  a.use(workbenchRoutes(dir));
  a.use((_req, res) => res.status(404).send('api 404'));
  return a;
}

describe('the workbench adapter', () => {
  const dir = fixture();

  it.each(['/workbench/', '/workbench/policies', '/workbench/editor/restructuring', '/workbench/tests/restructuring', '/workbench/playground', '/workbench/diff/restructuring', '/workbench/changes', '/workbench/audit'])(
    'answers index.html for the screen address %s, never cached, under the API CSP',
    async (path) => {
      const res = await request(app(dir)).get(path).set('Accept-Encoding', 'identity');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
      expect(res.text).toBe(INDEX);
    },
  );

  it('sends a hashed asset precompressed (brotli preferred, then gzip) with a year-long immutable cache', async () => {
    const br = await request(app(dir)).get('/workbench/assets/index-AbC123.js').set('Accept-Encoding', 'gzip, br').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBeLessThan(JS.length / 4);

    const gz = await request(app(dir)).get('/workbench/assets/index-AbC123.js').set('Accept-Encoding', 'gzip').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect((gz.body as Buffer).toString()).toBe(JS); // superagent inflates gzip itself

    const plain = await request(app(dir)).get('/workbench/assets/index-AbC123.js').set('Accept-Encoding', 'br;q=0, identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('leaves unknown paths and missing assets to the API (its 404), and redirects /workbench to /workbench/', async () => {
    expect((await request(app(dir)).get('/workbench/assets/nope-123.js')).text).toBe('api 404');
    expect((await request(app(dir)).get('/workbench/settings')).text).toBe('api 404');
    expect((await request(app(dir)).get('/workbench/editor/Bad_Id')).text).toBe('api 404');
    expect((await request(app(dir)).get('/workbench/../package.json')).text).not.toContain('"name"');
    const r = await request(app(dir)).get('/workbench');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/workbench/');
  });

  it('says how to build the workbench when it is not built, instead of a bare 404', async () => {
    const res = await request(app(join(dir, 'missing'))).get('/workbench/playground');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm run build:web');
  });

  it('knows the screen addresses and finds dist/web under the package root from src/ and from dist/src/', () => {
    expect(isScreenPath('/audit')).toBe(true);
    expect(isScreenPath('/audit/x')).toBe(false);
    expect(isScreenPath('/editor/restructuring/extra')).toBe(false);
    expect(defaultWorkbenchDir(join(ROOT, 'src', 'adapters', 'web'))).toBe(join(ROOT, 'dist', 'web'));
    expect(defaultWorkbenchDir(join(ROOT, 'dist', 'src', 'adapters', 'web'))).toBe(join(ROOT, 'dist', 'web'));
  });
});
