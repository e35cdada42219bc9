import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { TideoverError } from '../../core/errors.js';
import type { DecisionService } from '../../app/decision-service.js';
import type { PolicySet } from '../../app/policy-set.js';
import type { AuditStore } from '../../ports/audit-store.js';
import type { Logger } from '../log/logger.js';
import { allowedMethods } from './allowed-methods.js';
import { authenticate, type Caller, type KeyRing } from './auth.js';
import type { Metrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { errorHandler, sendProblem } from './problem.js';
import { rateLimit } from './rate-limit.js';
import { decisionHandlers, decisionRoutes, isDecisionsPath } from './routes/decisions.js';
import { chain } from './chain.js';
import { healthRoutes } from './routes/health.js';
import { policyRoutes } from './routes/policies.js';
import { scheduleRoutes } from './routes/schedules.js';
import { schemaRoutes } from './routes/schemas.js';
import { policyDiffRoutes } from './routes/policy-diff.js';
import { policyVersionRoutes } from './routes/policy-versions.js';
import { defaultWorkbenchDir, workbenchRoutes } from '../web/workbench.js';
import type { ScheduleBuilder } from '../../core/money/schedule-api.js';
import type { Publication } from '../../app/publication/compose.js';
import { publicationRoutes } from './routes/publication.js';

export interface AppDeps {
  service: DecisionService;
  policies: () => PolicySet;
  audit: AuditStore;
  ring: KeyRing;
  logger: Logger;
  metrics: Metrics;
  bodyLimit: number;
  /** What an Idempotency-Key remembers its request by: the store's `requestHash`, wired in by main. */
  requestHash: (body: unknown) => string;
  /** Schedule arithmetic for POST /v1/schedules (MONEY); exact integer cents by default. */
  schedules?: ScheduleBuilder;
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  corsOrigins: string[];
  isShuttingDown: () => boolean;
  /** Tideover's version, shown in the OpenAPI document. */
  version: string;
  /** Drafts, changes and published versions: their routes, readiness and GET /v1/policies' approvals. */
  publication?: Publication;
  /** Extra routers (audit, lifecycle) mounted before the 404 handler. */
  extraRoutes?: express.Router[];
  /** The built workbench (vite build output); default dist/web under the package root. */
  workbenchDir?: string;
}

function cors(origins: string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, Accept-Language, Tideover-Policy-Version');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** What logging and metrics name a decision's route, as the router would have set it. */
const DECISION_ROUTE = { path: '/v1/decisions' };

/** The express application: middleware and routes wired to the services they call; no business logic here. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const requestScope = (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    // While draining, every answer closes its connection so keep-alive clients let go.
    if (deps.isShuttingDown()) res.setHeader('Connection', 'close');
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    // A route that starts a durable write claims the answer first (admitRecord): from then on the timeout
    // leaves the answer to the route, so a caller is never told "failed" about something that was recorded.
    let recording = false;
    res.locals.admitRecord = (): boolean => {
      if (res.headersSent) return false;
      recording = true;
      return true;
    };
    const timer = setTimeout(() => {
      if (res.headersSent || recording) return;
      res.setHeader('Connection', 'close'); // the body may still be unread: do not reuse the connection
      sendProblem(res, 'TIMEOUT', `The request took longer than ${deps.requestTimeoutMs} ms.`);
    }, deps.requestTimeoutMs);
    res.on('close', () => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      deps.metrics.httpDuration.observe({ route, method: req.method, status: String(res.statusCode) }, seconds);
      deps.logger.info('request', {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1e6) / 1e3,
        caller: (res.locals.caller as Caller | undefined)?.keyId,
      });
    });
    next();
  };
  // What every request passes first, in this order: one list, so the decisions' chain and the router cannot drift apart.
  const common: RequestHandler[] = [requestScope, helmet(), ...(deps.corsOrigins.length ? [cors(deps.corsOrigins)] : []), authenticate(deps.ring)];
  const limit = rateLimit(deps.rateLimitPerMinute, () => deps.metrics.rateLimited.inc(), () => performance.timeOrigin + performance.now());
  const decisions = { service: deps.service, bodyLimit: deps.bodyLimit, requestHash: deps.requestHash, rateLimit: limit };
  for (const h of common) app.use(h);
  // Other methods on /v1/decisions: an OPTIONS request is answered by the router (Allow) before the limiter,
  // like health and schema (an empty reply), and any other gets its 405 from the route's entry here. A POST
  // normally takes the path below; one the router must match (a URL in absolute form) is served here alike.
  app.use(decisionRoutes(decisions));
  app.use(healthRoutes({ policies: deps.policies, audit: deps.audit, metrics: deps.metrics, isShuttingDown: deps.isShuttingDown, openapi: buildOpenApi(deps.version), ...(deps.publication ? { unservable: (day: string) => deps.publication!.published.unservable(deps.policies(), day) } : {}) }));
  // Open and static: the policy schema and the workbench's files carry no data (every API call it makes carries a key).
  app.use(schemaRoutes());
  app.use(workbenchRoutes(deps.workbenchDir ?? defaultWorkbenchDir()));
  app.use(limit);
  app.use(scheduleRoutes({ bodyLimit: deps.bodyLimit, ...(deps.schedules ? { schedules: deps.schedules } : {}) }));
  app.use(policyRoutes({ policies: deps.policies, ...(deps.publication ? { published: () => deps.publication!.publication.published() } : {}) }));
  if (deps.publication) app.use(publicationRoutes({ publication: deps.publication.publication, audit: deps.audit, bodyLimit: deps.bodyLimit }));
  app.use(policyDiffRoutes({ policies: deps.policies, bodyLimit: deps.bodyLimit }));
  if (deps.publication) app.use(policyVersionRoutes({ published: () => deps.publication!.publication.published() }));
  for (const r of deps.extraRoutes ?? []) app.use(r);
  app.use((req, res, next) => {
    const allow = allowedMethods((app as unknown as { router: { stack: unknown[] } }).router.stack, req.path);
    if (!allow.length) return next(new TideoverError('NOT_FOUND', `No route ${req.method} ${req.path.slice(0, 200)}.`));
    res.setHeader('Allow', allow.join(', '));
    next(new TideoverError('METHOD_NOT_ALLOWED', `${req.method.slice(0, 20)} is not allowed on ${req.path.slice(0, 200)}; use ${allow.join(' or ')}.`));
  });
  const onError = errorHandler((e, req) => deps.logger.error('unhandled error', { requestId: req.res?.locals.requestId, error: (e as Error)?.message, stack: (e as Error)?.stack }));
  app.use(onError);
  // The servicing systems' hot path: the same middleware and handler in the same order, run without the
  // router (chain.ts), whose layer matching and bookkeeping cost allocation and CPU on every request. It is
  // rate limited in its own chain, and never passes through the health, schema and workbench routes.
  const decide = chain([...common, ...decisionHandlers(decisions)]);
  // Express calls app.handle for every request (it is not in its type declarations).
  const routed = app as unknown as { handle: (req: Request, res: Response, next?: NextFunction) => void };
  const handle = routed.handle.bind(app);
  routed.handle = (req, res, next) => {
    if (req.method !== 'POST' || !isDecisionsPath(req.url)) return handle(req, res, next);
    // What Express's own handle does before its router runs.
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    res.locals ??= Object.create(null) as Response['locals'];
    req.route = DECISION_ROUTE;
    decide(req, res, (err?: unknown) => {
      try {
        onError(err ?? new Error('POST /v1/decisions gave no answer'), req, res, () => undefined);
      } catch (e) {
        // Where Express's final handler would have stood: never an unhandled rejection that ends the process.
        deps.logger.error('error handler failed', { error: (e as Error)?.message });
        if (res.headersSent) res.destroy();
        else res.writeHead(500).end();
      }
    });
  };
  return app;
}
