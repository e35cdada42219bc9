// The closed list of error codes Tideover reports. Every problem a caller, a policy author or an operator
// sees carries one of these codes, so clients can branch on it and docs can list them all.
export const ERROR_CODES = {
  INVALID_JSON: 'The request body is not valid JSON.',
  INVALID_BODY: 'The request body does not match the schema.',
  UNSUPPORTED_MEDIA_TYPE: 'Only application/json bodies are accepted.',
  BODY_TOO_LARGE: 'The request body is larger than the limit.',
  FORBIDDEN_KEY: 'The body contains a key that is not allowed (__proto__, constructor, prototype).',
  NOT_FOUND: 'No such resource.',
  METHOD_NOT_ALLOWED: 'The method is not allowed on this resource.',
  UNAUTHENTICATED: 'A valid bearer token is required.',
  FORBIDDEN: 'The token does not carry the role this route needs.',
  RATE_LIMITED: 'Too many requests for this key.',
  NO_POLICY: 'No loaded policy version applies to this application.',
  POLICY_YAML_SYNTAX: 'The policy file is not valid YAML.',
  POLICY_SCHEMA: 'The policy file does not match the policy schema.',
  POLICY_SEMANTIC: 'The policy refers to something that does not exist or does not fit.',
  POLICY_TEST_FAILED: 'A policy test case did not produce the expected decision.',
  AUDIT_UNAVAILABLE: 'The audit trail cannot record the decision, so none is given.',
  IDEMPOTENCY_CONFLICT: 'The Idempotency-Key was already used with a different body.',
  AUDIT_RECORD_INCONSISTENT: 'A recorded decision does not match what its policy snapshot gives for its recorded facts.',
  TIMEOUT: 'The request took longer than the limit.',
  SELF_APPROVAL: 'A key never approves a change it submitted or last edited: a second key must approve it.',
  CHANGE_REFUSED: 'The draft cannot be submitted: every reason is listed.',
  CHANGE_CONFLICT: 'The change is no longer pending, or its version is already published.',
  INTERNAL: 'Something went wrong on our side.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One located problem in a request body: a JSON pointer and a sentence naming the field. */
export interface FieldProblem {
  pointer: string;
  message: string;
}

/** An error with a stable code; adapters map it to HTTP status / exit codes. */
export class TideoverError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'TideoverError';
  }
}
