const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/**
 * `s` stored one byte per character where it can be. A text with one character beyond Latin-1 (a policy
 * file with Chinese reason texts) is a two-byte string in V8, and so is every string sliced from it: rule
 * ids, fact and parameter names, outcomes. JSON holding one of them is written two bytes per character,
 * and encoding a two-byte 45 KB decision for the socket or a hash costs ~10x a one-byte one. A string
 * first used as a property name becomes the process's only copy of that name (V8 interns it), so such
 * strings are copied before they can be used as one.
 */
export function oneByte(s: string): string {
  return s.length > 1 && !BEYOND_LATIN1.test(s) ? s.split('').join('') : s;
}
