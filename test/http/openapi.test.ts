import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/adapters/http/openapi.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function servedRoutes(stack: Layer[], out = new Set<string>()): Set<string> {
  for (const layer of stack) {
    if (layer.route) for (const m of Object.keys(layer.route.methods)) out.add(`${m.toUpperCase()} ${layer.route.path}`);
    else if (layer.handle?.stack) servedRoutes(layer.handle.stack, out);
  }
  return out;
}

const documented = new Set(Object.entries(ROUTES).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));

describe('the OpenAPI document and the app agree', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t.close());

  it('every route the app serves is documented, and every documented route is served', () => {
    const served = servedRoutes((t.app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('every documented route answers (not the 404 of an unknown route)', async () => {
    for (const key of documented) {
      const [method, path] = key.split(' ') as [string, string];
      const res = await request(t.app)[method.toLowerCase() as 'get' | 'post'](path.replace(':id', 'unknown-id')).set('Authorization', 'Bearer tok-admin-0123456789');
      expect(res.body?.detail ?? '', key).not.toMatch(/^No route /);
    }
  });

  it('GET /openapi.json is open and serves an OpenAPI 3.1 document', async () => {
    const res = await request(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.components.schemas)).toEqual(expect.arrayContaining(['RestructuringApplication', 'DecisionResult', 'Problem']));
  });
});

it('the committed openapi.json is the one built from the schemas and the route table', async () => {
  const { execFileSync } = await import('node:child_process');
  const { join } = await import('node:path');
  const { ROOT } = await import('../helpers/app.js');
  expect(execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-openapi.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' })).toContain('current');
});
