// The service's error vocabulary as adapters see it: HTTP routes and CLI commands take errors from here, not from the core.
export { ERROR_CODES, TideoverError, type ErrorCode, type FieldProblem } from '../core/errors.js';
