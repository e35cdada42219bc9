import { TideoverError } from '../core/errors.js';
import { AuditStoreError } from '../ports/audit-store.js';

/**
 * The one mapping of audit store failures onto the service's errors: our own errors pass, an input the store
 * refuses says why (INVALID_BODY, at `pointer` when given), anything else is AUDIT_UNAVAILABLE (503) — never
 * a decision without its record, never a stack trace.
 */
export async function throughAuditStore<T>(fn: () => Promise<T>, opts: { unavailable?: string; pointer?: string } = {}): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TideoverError) throw e;
    if (e instanceof AuditStoreError && e.code === 'invalid')
      throw new TideoverError('INVALID_BODY', e.message, opts.pointer === undefined ? [] : [{ pointer: opts.pointer, message: e.message }]);
    throw new TideoverError('AUDIT_UNAVAILABLE', opts.unavailable);
  }
}
