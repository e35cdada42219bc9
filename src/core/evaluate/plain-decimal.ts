// Exact comparison of plain decimal strings without decimal.js: the common case of a policy's decimal thresholds.
/** A plain decimal (`-?digits(.digits)?`) without leading integer zeros or trailing fraction zeros. */
export interface PlainDec {
  sign: -1 | 0 | 1;
  int: string;
  frac: string;
}

/** Returned by `cmpPlain` when the fact value is not a plain decimal string. */
export const NOT_PLAIN = 2;

/** -1/0/1 comparing the plain decimal string `a` with `p`, exactly as decimal.js would; NOT_PLAIN otherwise. */
export function cmpPlain(a: string, p: PlainDec): number {
  const n = a.length;
  let i = 0;
  let neg = false;
  if (n > 0 && a.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  const intStart = i;
  while (i < n) {
    const c = a.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const intEnd = i;
  if (intEnd === intStart) return NOT_PLAIN;
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (i < n) {
    if (a.charCodeAt(i) !== 46) return NOT_PLAIN;
    fracStart = ++i;
    while (i < n) {
      const c = a.charCodeAt(i);
      if (c < 48 || c > 57) return NOT_PLAIN;
      i++;
    }
    if (i === fracStart) return NOT_PLAIN;
    fracEnd = i;
  }
  let is = intStart;
  while (is < intEnd && a.charCodeAt(is) === 48) is++;
  while (fracEnd > fracStart && a.charCodeAt(fracEnd - 1) === 48) fracEnd--;
  const intLen = intEnd - is;
  const fracLen = fracEnd - fracStart;
  const sign = intLen === 0 && fracLen === 0 ? 0 : neg ? -1 : 1;
  if (sign !== p.sign) return sign < p.sign ? -1 : 1;
  if (sign === 0) return 0;
  let m = 0;
  const pInt = p.int;
  if (intLen !== pInt.length) m = intLen < pInt.length ? -1 : 1;
  else {
    for (let k = 0; k < intLen; k++) {
      const d = a.charCodeAt(is + k) - pInt.charCodeAt(k);
      if (d !== 0) {
        m = d < 0 ? -1 : 1;
        break;
      }
    }
    if (m === 0) {
      const pFrac = p.frac;
      const pl = pFrac.length;
      const l = fracLen < pl ? fracLen : pl;
      for (let k = 0; k < l; k++) {
        const d = a.charCodeAt(fracStart + k) - pFrac.charCodeAt(k);
        if (d !== 0) {
          m = d < 0 ? -1 : 1;
          break;
        }
      }
      if (m === 0 && fracLen !== pl) m = fracLen < pl ? -1 : 1;
    }
  }
  return sign < 0 ? -m : m;
}

const PLAIN = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

export function parsePlainDecimal(s: unknown): PlainDec | undefined {
  if (typeof s !== 'string') return undefined;
  const m = PLAIN.exec(s);
  if (!m) return undefined;
  const int = m[2]!.replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return { sign: int === '' && frac === '' ? 0 : m[1] ? -1 : 1, int, frac };
}

/** Exported for tests: the exact comparison of two plain decimal strings, or undefined when either is not plain. */
export function comparePlainDecimals(a: string, b: string): number | undefined {
  const p = parsePlainDecimal(b);
  if (!p) return undefined;
  const c = cmpPlain(a, p);
  // A negative zero (from negating an equal magnitude) is still "equal": report it as 0.
  return c === NOT_PLAIN ? undefined : c === 0 ? 0 : c;
}
