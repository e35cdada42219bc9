import fc from 'fast-check';
import { exampleApplication, TOKENS } from '../helpers/app.js';

// Generators of random and hostile requests for the HTTP property tests.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

export interface Hostile {
  body: string | Buffer;
  contentType?: string;
  token: string;
  headers: Record<string, string>;
}

export const EXAMPLE = exampleApplication() as Json;

function paths(v: Json, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (Array.isArray(v)) v.forEach((c, i) => paths(c, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) paths(c, [...at, k], out);
  return out;
}
const ALL_PATHS = paths(EXAMPLE);
const LEAF_PATHS = ALL_PATHS.filter((p) => {
  const v = get(EXAMPLE, p);
  return v === null || typeof v !== 'object';
});
const MONEY_PATHS = LEAF_PATHS.filter((p) => typeof get(EXAMPLE, p) === 'string' && /^\d+\.\d{2}$/.test(get(EXAMPLE, p) as string));

function get(v: Json, p: Path): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of p) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, Json>)[k] : undefined;
  return cur;
}
function set(root: Json, p: Path, value: Json | undefined): void {
  let cur = root as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = p.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = value;
}
const clone = (): Json => structuredClone(EXAMPLE);

function typeOf(v: Json | undefined): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export const unicodeString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\u202e', '\ud800', '\udfff', '💥'.repeat(30), 'ﷺ', 'İ', '\u200b', '𝟘.𝟘𝟘', '５０００.００', '１２'),
);
const anyJson: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;
const otherValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  unicodeString,
  fc.array(anyJson, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 }),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.1 + 0.2, 1e-320),
) as fc.Arbitrary<Json>;

/** Schema-shaped but edgy values, to reach the decision path with unusual inputs. */
const edgyMoney = fc.oneof(
  fc.constantFrom('0', '0.00', '0.01', '1', '999999999999999.99', '999999999999999', '100000000000000.00', '0.1'),
  fc.bigInt({ min: 0n, max: 10n ** 17n - 1n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`),
);
const edgyRate = fc.constantFrom('0', '0.00000001', '1', '1.5', '999.99999999', '0.36', '12', '100');
export const edgyDate = fc.oneof(
  fc.constantFrom('1900-01-01', '2999-12-31', '2024-02-29', '2026-02-28', '2026-12-31', '2000-02-29', '0001-01-01', '9999-12-31', '2026-03-01', '2026-03-02'),
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const edgyDateTime = fc.oneof(
  fc.constantFrom('2026-03-01T00:00:00Z', '2026-03-01T23:59:59.999999999+14:00', '2026-03-01T00:00:00-12:00', '2999-12-31T23:59:59Z', '2026-01-01T00:00:00+00:00', '2025-12-31T23:59:59Z', '2026-02-29T00:00:00Z'),
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
);

function edgyFor(p: Path): fc.Arbitrary<Json> {
  const v = get(EXAMPLE, p);
  const key = String(p.at(-1));
  if (typeof v === 'number') return fc.oneof(fc.constantFrom(0, 1, 12, 24, 120, 600, 1000, 1200, 100000), fc.integer({ min: 0, max: 1200 }));
  if (typeof v === 'boolean') return fc.boolean();
  if (typeof v === 'string') {
    if (/^\d+\.\d{2}$/.test(v)) return edgyMoney;
    if (/Rate|Multiplier/.test(key)) return edgyRate;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return edgyDate;
    if (/T\d{2}:/.test(v)) return edgyDateTime;
    return fc.oneof(fc.constant(v), fc.string({ maxLength: 64 }));
  }
  return fc.constant(v as Json);
}

/** Optional schema-valid additions: overdue items, prior plans and waivers, steps, guarantor, collateral. */
const extras = fc.record(
  {
    overdueItems: fc.array(fc.record({ dueDate: edgyDate, principal: edgyMoney, interest: edgyMoney }), { maxLength: 6 }),
    priorRestructurings: fc.array(
      fc.record(
        {
          type: fc.constantFrom('INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION'),
          effectiveDate: edgyDate,
          status: fc.constantFrom('ACTIVE', 'COMPLETED', 'BROKEN'),
          brokenDate: edgyDate,
          graceMonths: fc.integer({ min: 0, max: 120 }),
        },
        { requiredKeys: ['type', 'effectiveDate', 'status'] },
      ),
      { maxLength: 4 },
    ),
    priorWaivers: fc.array(fc.record({ date: edgyDate, amount: edgyMoney }), { maxLength: 4 }),
    options: fc.uniqueArray(fc.constantFrom('INSTALLMENT', 'GRACE_PERIOD', 'PERSONALISED_PLAN', 'PENALTY_WAIVER', 'ACCOUNT_ACTION'), { maxLength: 5 }),
    desiredMonthlyPayment: edgyMoney,
    desiredTermMonths: fc.integer({ min: 1, max: 600 }),
    desiredGraceMonths: fc.integer({ min: 1, max: 120 }),
    stepSchedule: fc.array(fc.record({ fromPeriod: fc.integer({ min: 1, max: 600 }), payment: edgyMoney }), { minLength: 1, maxLength: 12 }),
    requestRateReduction: fc.boolean(),
    requestWaiverPct: fc.constantFrom('0', '0.5', '1', '1.00', '2', '0.00000001'),
    waiverScope: fc.constantFrom('PENALTY_ONLY', 'INCLUDES_INTEREST', 'INCLUDES_PRINCIPAL'),
    guarantor: fc.record({ riskScore: fc.integer({ min: 0, max: 1000 }), monthlyIncome: edgyMoney, monthlyDebtService: edgyMoney, consentSigned: fc.boolean() }),
    collateral: fc.array(fc.record({ type: fc.constantFrom('REAL_ESTATE', 'DEPOSIT', 'VEHICLE', 'OTHER'), appraisedValue: edgyMoney, valuationDate: edgyDate }), { maxLength: 3 }),
    hardshipReason: fc.constantFrom('UNEMPLOYMENT', 'INCOME_REDUCTION', 'SERIOUS_ILLNESS', 'DISABILITY', 'DEATH_OF_EARNER', 'DISASTER', 'BUSINESS_FAILURE', 'DIVORCE', 'OTHER'),
    nature: fc.constantFrom('TEMPORARY', 'PERMANENT', 'UNKNOWN'),
    product: fc.constantFrom('JIEBEI_CREDIT_LINE', 'CONSUMER_INSTALLMENT', 'CREDIT_CARD', 'MORTGAGE'),
    repaymentMethod: fc.constantFrom('EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'BULLET'),
    jurisdiction: fc.constantFrom('CN', 'US'),
    fraudFlag: fc.constantFrom('NONE', 'SUSPECTED', 'CONFIRMED'),
    noDocuments: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Schema-valid (mostly) variations of the example: these reach the decision engine itself. */
export const edgyValid: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.integer({ min: 0, max: LEAF_PATHS.length - 1 }).chain((i) => edgyFor(LEAF_PATHS[i]!).map((v) => [LEAF_PATHS[i]!, v] as const)),
      { maxLength: 6 },
    ),
    extras,
  )
  .map(([changes, x]) => {
    const a = clone() as Record<string, any>;
    for (const [p, v] of changes) set(a, p, v);
    if (x.overdueItems) a.loan.overdueItems = x.overdueItems;
    if (x.priorRestructurings) a.loan.priorRestructurings = x.priorRestructurings;
    if (x.priorWaivers) a.loan.priorWaivers = x.priorWaivers;
    if (x.options) a.request.options = x.options;
    for (const k of ['desiredMonthlyPayment', 'desiredTermMonths', 'desiredGraceMonths', 'stepSchedule', 'requestRateReduction', 'requestWaiverPct', 'waiverScope'] as const)
      if (x[k] !== undefined) a.request[k] = x[k];
    if (x.guarantor) a.guarantor = x.guarantor;
    if (x.collateral) a.collateral = x.collateral;
    if (x.hardshipReason) a.borrower.hardship.reason = x.hardshipReason;
    if (x.nature) a.borrower.hardship.nature = x.nature;
    if (x.product) a.loan.product = x.product;
    if (x.repaymentMethod) a.loan.repaymentMethod = x.repaymentMethod;
    if (x.jurisdiction) a.jurisdiction = x.jurisdiction;
    if (x.fraudFlag) a.borrower.fraudFlag = x.fraudFlag;
    if (x.noDocuments) delete a.documents;
    return JSON.stringify(a);
  });

export const deleteField = fc.integer({ min: 0, max: ALL_PATHS.length - 1 }).map((i) => {
  const a = clone();
  set(a, ALL_PATHS[i]!, undefined);
  return JSON.stringify(a);
});

export const replaceLeaf = fc
  .tuple(fc.integer({ min: 0, max: ALL_PATHS.length - 1 }), otherValue)
  .filter(([i, v]) => typeOf(get(EXAMPLE, ALL_PATHS[i]!)) !== typeOf(v))
  .map(([i, v]) => {
    const a = clone();
    set(a, ALL_PATHS[i]!, v);
    return JSON.stringify(a);
  });

export const moneyAsNumber = fc.tuple(fc.integer({ min: 0, max: MONEY_PATHS.length - 1 }), fc.oneof(fc.double(), fc.integer(), fc.constantFrom(30000, 0.1, 1e21, -1))).map(([i, n]) => {
  const a = clone();
  set(a, MONEY_PATHS[i]!, n);
  return JSON.stringify(a);
});

export const deepNesting = fc.tuple(fc.integer({ min: 0, max: ALL_PATHS.length - 1 }), fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([i, depth, arrays]) => {
  const a = clone();
  const placeholder = '"__DEEP__"';
  set(a, ALL_PATHS[i]!, '__DEEP__');
  const open = arrays ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = arrays ? ']'.repeat(depth) : '}'.repeat(depth);
  return JSON.stringify(a).replace(placeholder, `${open}1${close}`);
});

export const hugeString = fc.tuple(fc.integer({ min: 0, max: LEAF_PATHS.length - 1 }), fc.constantFrom(1_000, 10_000, 100_000, 262_000, 300_000), fc.constantFrom('x', 'é', '💥', '\\', '"', '0')).map(([i, n, ch]) => {
  const a = clone();
  set(a, LEAF_PATHS[i]!, ch.repeat(Math.ceil(n / ch.length)));
  return JSON.stringify(a);
});

export const unicodeLeaf = fc.tuple(fc.integer({ min: 0, max: LEAF_PATHS.length - 1 }), unicodeString).map(([i, s]) => {
  const a = clone();
  set(a, LEAF_PATHS[i]!, s);
  return JSON.stringify(a);
});

/** `__proto__`, `constructor` and `prototype` keys spliced in as raw JSON text (an object literal cannot carry __proto__). */
export const pollution = fc
  .tuple(fc.nat(), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('{"polluted":true}', '{"toString":1}', 'null', '1', '[]', '{"__proto__":{"x":1}}'))
  .map(([n, key, value]) => {
    const text = JSON.stringify(clone());
    const opens = [...text.matchAll(/\{/g)].map((m) => m.index!);
    const at = opens[n % opens.length]! + 1;
    return `${text.slice(0, at)}"${key}":${value},${text.slice(at)}`;
  });

/** Raw text edits of the valid example: truncations, duplicated keys, stray bytes. */
export const textEdit = fc.tuple(fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', '\u0000', 'NaN', 'Infinity', '-', '/*x*/', '\ufeff', '0x10')).map(([n, s]) => {
  const text = JSON.stringify(clone());
  const at = n % (text.length + 1);
  return `${text.slice(0, at)}${s}${text.slice(at)}`;
});

export const anythingBody = fc.anything({ withBoxedValues: false, withNullPrototype: true, withObjectString: true, withSparseArray: true, maxDepth: 4 }).map((v) => {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return String(v);
  }
});

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
export const headers = fc.record(
  {
    'Accept-Language': fc.oneof(fc.constantFrom('zh', 'zh-CN,zh;q=0.9', 'en', '*', 'zh;q=0', 'fr', ',,,;q=abc', 'zh;q=1.5'), headerText),
    'Idempotency-Key': fc.oneof(fc.constantFrom('k', 'same-key', 'x'.repeat(128), 'x'.repeat(129)), headerText),
    'Tideover-Policy-Version': fc.oneof(fc.constantFrom('1.0.0', 'restructuring@1.0.0', '9.9.9', '1.0.0-rc.1', '01.0.0', 'x@1.0.0'), headerText),
  },
  { requiredKeys: [] },
);
/** Headers that keep a valid body valid: a language and, sometimes, a fresh idempotency key. */
export const quietHeaders = fc.record(
  { 'Accept-Language': fc.constantFrom('zh', 'en', 'zh-CN,zh;q=0.9,en;q=0.8', '*'), 'Idempotency-Key': fc.uuid() },
  { requiredKeys: [] },
);
export const token = fc.constantFrom(TOKENS.decide, TOKENS.admin);
export const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'Application/JSON', 'application/json;charset=utf-16', 'application/json; charset=latin1');

export const hostile = (body: fc.Arbitrary<string>, contentType: fc.Arbitrary<string> = jsonType, hs: fc.Arbitrary<Record<string, string>> = headers): fc.Arbitrary<Hostile> =>
  fc.record({ body, contentType, token, headers: hs }).map((h) => h as Hostile);

export const contentTypes = fc.oneof(
  fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=--x', 'application/octet-stream', 'application/problem+json', 'application/merge-patch+json', 'application/json-seq', '*/*', 'application/*', 'json', '', ';', 'application/json; charset=', 'application/json; charset="utf-8"', 'application/json; foo=bar'),
  jsonType,
  headerText,
);
export const rawBytes: fc.Arbitrary<Hostile> = fc
  .record({
    bytes: fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.constantFrom(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), Uint8Array.from([0xc3, 0x28]), Uint8Array.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]))),
    contentType: fc.option(contentTypes, { nil: undefined }),
    token,
    headers,
  })
  .map(({ bytes, contentType, token: tok, headers: hs }) => ({ body: Buffer.from(bytes), ...(contentType !== undefined ? { contentType } : {}), token: tok, headers: hs }));
export const randomTypeValidBody: fc.Arbitrary<Hostile> = fc.record({ body: fc.constant(JSON.stringify(EXAMPLE)), contentType: contentTypes, token, headers }).map((h) => h as Hostile);

// ---- POST /v1/schedules ------------------------------------------------------------------------

const validMoney = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 17n - 1n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`),
  fc.bigInt({ min: 1n, max: 10n ** 8n }).map((c) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`),
  fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }).map(String),
  fc.constantFrom('0.01', '0.1', '1', '1.00', '0.99', '999999999999999.99', '999999999999999', '50000.00', '30270.00'),
);
const numericish = fc.oneof(
  { arbitrary: validMoney, weight: 8 },
  { arbitrary: fc.stringMatching(/^-?\d{0,17}(\.\d{0,4})?$/), weight: 1 },
  { arbitrary: fc.constantFrom('0', '0.00', '00.10', '1e3', '-0.00', ' 1.00', '1.00 ', '1000000000000000.00', 'NaN', '', '.5', '5.'), weight: 1 },
  { arbitrary: fc.oneof(fc.double(), fc.integer()).map((d) => d as unknown as string), weight: 1 },
);
const validRate = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 8 }).map((n) => `0.${String(n).padStart(8, '0').replace(/0+$/, '') || '0'}`),
  fc.integer({ min: 0, max: 1000 }).map((n) => (n / 1000).toFixed(3)),
  fc.constantFrom('0', '1', '1.0', '1.00000000', '0.108', '0.36', '0.00000001', '0.99999999'),
);
const rateish = fc.oneof(
  { arbitrary: validRate, weight: 8 },
  { arbitrary: fc.constantFrom('1.00000001', '2', '1.5', '0.000000001', '-0.1', '.5', '0.', '999.99999999'), weight: 1 },
  { arbitrary: fc.stringMatching(/^\d{0,3}(\.\d{0,9})?$/), weight: 1 },
  { arbitrary: fc.double().map((d) => d as unknown as string), weight: 1 },
);
const monthsish = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 480 }), weight: 8 },
  { arbitrary: fc.constantFrom(1, 2, 600, 599, 480), weight: 2 },
  { arbitrary: fc.oneof(fc.integer({ min: -3, max: 650 }), fc.double({ min: -2, max: 700 }), fc.constant('12' as unknown as number)), weight: 1 },
);
const graceish = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 120 }), weight: 8 },
  { arbitrary: fc.oneof(fc.integer({ min: -2, max: 130 }), fc.double({ min: -1, max: 130 })), weight: 1 },
);
export const scheduleRequest = fc.record(
  {
    principal: numericish,
    annualRate: rateish,
    termMonths: monthsish,
    method: fc.oneof({ arbitrary: fc.constantFrom('EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL'), weight: 10 }, { arbitrary: fc.constantFrom('BULLET', 'equal_installment', ''), weight: 1 }),
    graceMonths: graceish,
    firstDueDate: fc.oneof({ arbitrary: edgyDate, weight: 8 }, { arbitrary: fc.constantFrom('2026-02-30', '2026-13-01', '2026-1-1', '', '9999-12-31'), weight: 1 }),
  },
  { requiredKeys: ['principal', 'annualRate', 'termMonths', 'method'] },
);
