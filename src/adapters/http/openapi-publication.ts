// OpenAPI entries of the publication routes (routes/publication.ts): drafts, changes, rollback, audit events.
import type { Op } from './openapi.js';

const ref = (title: string) => ({ $ref: `#/components/schemas/${title}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const yaml = (description: string) => ({ 'application/yaml': { schema: { type: 'string', description } } });
const policyIdParam = { name: 'policyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } };
const readers: Op['roles'] = ['policy-author', 'policy-approver', 'policy-admin'];
const draftAnswer = { status: 200, description: 'The draft with what its save found: validation problems (file:line:column, as `tideover policy check`), test results, rule coverage and every reason submit would refuse it.', content: json(ref('PolicyDraft')) };
const changeAnswer = (status: number, description: string) => ({ status, description, content: json(ref('PolicyChange')) });
const refused = 'CHANGE_REFUSED (422) lists every reason in `refusals`: VALIDATION_ERRORS, NO_TESTS, TEST_FAILED, RULE_NEVER_FIRED, VERSION_NOT_GREATER, POLICY_ID_MISMATCH.';

export const PUBLICATION_ROUTES: Record<string, Record<string, Op>> = {
  '/v1/policy-drafts': {
    get: {
      summary: 'Drafts in the store (without their checks: open one for those). Drafts never serve.',
      roles: readers,
      ok: { status: 200, description: '{drafts: [...]}', content: json({ type: 'object', required: ['drafts'], properties: { drafts: { type: 'array', items: { type: 'object' } } } }) },
      errors: [401, 403, 429, 503],
    },
  },
  '/v1/policy-drafts/{policyId}': {
    put: {
      summary: 'Save the draft policy YAML (creates the draft or replaces its policy; its tests are kept). The answer validates it and runs its tests.',
      roles: ['policy-author'],
      parameters: [policyIdParam],
      bodyContent: yaml('Policy YAML, the format of <policyId>/<version>.yaml.'),
      ok: draftAnswer,
      errors: [400, 401, 403, 413, 415, 429],
    },
    get: { summary: 'One draft with its check.', roles: readers, parameters: [policyIdParam], ok: draftAnswer, errors: [400, 401, 403, 404, 429] },
    delete: { summary: 'Discard the draft.', roles: ['policy-author'], parameters: [policyIdParam], ok: { status: 204, description: 'Discarded.' }, errors: [400, 401, 403, 404, 429] },
  },
  '/v1/policy-drafts/{policyId}/tests': {
    put: {
      summary: "Save the draft's test cases YAML (the <version>.test.yaml format). The answer runs them with the draft policy.",
      roles: ['policy-author'],
      parameters: [policyIdParam],
      bodyContent: yaml('Policy test cases YAML.'),
      ok: draftAnswer,
      errors: [400, 401, 403, 413, 415, 429],
    },
  },
  '/v1/policy-drafts/{policyId}/try': {
    post: {
      summary: 'Decide one application with the draft. Nothing is recorded (the answer says so: recorded false).',
      roles: ['policy-author', 'policy-approver'],
      parameters: [policyIdParam, { name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string' } }],
      body: ref('RestructuringApplication'),
      ok: {
        status: 200,
        description: 'The decision the draft gives, not recorded.',
        content: json({ type: 'object', required: ['recorded', 'note', 'policy', 'decision'], properties: { recorded: { type: 'boolean', const: false }, note: { type: 'string' }, policy: { type: 'object' }, decision: ref('DecisionResult') } }),
      },
      errors: [400, 401, 403, 404, 413, 415, 422, 429],
    },
  },
  '/v1/policy-drafts/{policyId}/submit': {
    post: {
      summary: `Submit the draft as a PENDING change with its semantic diff and its impact on recent recorded decisions. ${refused}`,
      roles: ['policy-author'],
      parameters: [policyIdParam],
      ok: changeAnswer(201, 'The PENDING change.'),
      errors: [400, 401, 403, 404, 409, 422, 429, 503],
    },
  },
  '/v1/policy-changes': {
    get: {
      summary: 'Policy changes, newest first.',
      roles: readers,
      parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['PENDING', 'APPROVED', 'REJECTED'] } }],
      ok: { status: 200, description: '{changes: [...]}', content: json({ type: 'object', required: ['changes'], properties: { changes: { type: 'array', items: ref('PolicyChange') } } }) },
      errors: [400, 401, 403, 429],
    },
  },
  '/v1/policy-changes/{id}': {
    get: { summary: 'One change, with its policy and tests YAML.', roles: readers, parameters: [idParam], ok: changeAnswer(200, 'The change.'), errors: [401, 403, 404, 429] },
  },
  '/v1/policy-changes/{id}/approve': {
    post: {
      summary: 'Approve and publish: the version is stored immutable, POLICY_PUBLISHED enters the audit chain, and every instance sharing the store serves it from its effectiveFrom within seconds. 403 SELF_APPROVAL when the key submitted or last edited the change.',
      roles: ['policy-approver'],
      parameters: [idParam],
      body: ref('PolicyApproval'),
      ok: changeAnswer(200, 'The APPROVED change.'),
      errors: [400, 401, 403, 404, 409, 413, 415, 429, 503],
    },
  },
  '/v1/policy-changes/{id}/reject': {
    post: {
      summary: 'Reject with a reason (required); POLICY_CHANGE_REJECTED enters the audit chain. A rejected change never serves.',
      roles: ['policy-approver'],
      parameters: [idParam],
      body: ref('PolicyRejection'),
      ok: changeAnswer(200, 'The REJECTED change.'),
      errors: [400, 401, 403, 404, 409, 413, 415, 429, 503],
    },
  },
  '/v1/policies/{policyId}/rollback': {
    post: {
      summary: `Prepare a new version (the next patch above every published one) with a published version's content and submit it as a change, through the same approval. ${refused}`,
      roles: ['policy-author'],
      parameters: [policyIdParam],
      body: ref('PolicyRollback'),
      ok: changeAnswer(201, 'The PENDING rollback change.'),
      errors: [400, 401, 403, 404, 409, 413, 415, 422, 429, 503],
    },
  },
  '/v1/audit/events': {
    get: {
      summary: "The audit chain's records that are not decisions (POLICY_PUBLISHED, POLICY_CHANGE_REJECTED, SCREENING_RUN, ARRANGEMENT_STATUS), oldest first, at most 1000 (the latest).",
      roles: ['audit'],
      parameters: [{ name: 'type', in: 'query', required: false, schema: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' } }],
      ok: { status: 200, description: '{events: [...]}', content: json({ type: 'object', required: ['events'], properties: { events: { type: 'array', items: ref('AuditEvent') } } }) },
      errors: [400, 401, 403, 429, 503],
    },
  },
};
