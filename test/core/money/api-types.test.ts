import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every place where the public API of src/core/money takes or returns a JS number, found with the
// TypeScript checker by walking exported functions, classes, interfaces and the types they reach.
// Each entry is a count (months, days, periods, calendar fields), never an amount or a rate: a
// parameter like `principal` or `annualRate` turning into `number` appears here and fails the test.
const COUNTS = [
  'ScheduleInput.amortisationMonths',
  'ScheduleInput.graceMonths',
  'ScheduleRequest.graceMonths',
  'ScheduleRequest.termMonths',
  'ScheduleRow.period',
  'Step.fromPeriod',
  'StepPlan.termMonths',
  'TermSearch.maxMonths',
  'TermSearch.minMonths',
  'MAX_TOTAL_MONTHS',
  'addBusinessDays(n)',
  'addDays(n)',
  'addMonthsClamped(n)',
  'annuityPayment(n)',
  'compareDates→',
  'daysBetween→',
  'daysInMonth(m)',
  'daysInMonth(y)',
  'daysInMonth→',
  'levelPaymentDrift(n)',
  'monthlyDates(count)',
  'negativeAmortisation(graceMonths)',
  'requireInt(min)',
  'requireInt(value)',
  'solveTerm→.months',
  'weekday→',
].sort();

const root = resolve(import.meta.dirname, '../../..');
const moneyDir = join(root, 'src/core/money');

function numberSlots(): string[] {
  const files = readdirSync(moneyDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(moneyDir, f));
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const found = new Set<string>();
  const seen = new Set<ts.Type>();
  const ours = (t: ts.Type): boolean =>
    (t.aliasSymbol ?? t.getSymbol())?.declarations?.some((d) => !d.getSourceFile().fileName.includes('node_modules')) ?? false;

  const walk = (type: ts.Type, path: string): void => {
    if (type.flags & ts.TypeFlags.NumberLike) {
      found.add(path);
      return;
    }
    if (type.isUnionOrIntersection()) {
      for (const t of type.types) walk(t, path);
      return;
    }
    if (checker.isArrayType(type)) {
      for (const t of checker.getTypeArguments(type as ts.TypeReference)) walk(t, path);
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object) || !ours(type) || seen.has(type)) return;
    seen.add(type);
    const name = type.getSymbol()?.getName();
    const prefix = name && !name.startsWith('__') ? name : path;
    for (const sig of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      for (const p of sig.getParameters()) walk(checker.getTypeOfSymbol(p), `${path}(${p.getName()})`);
      walk(sig.getReturnType(), `${path}→`);
    }
    for (const prop of type.getProperties()) {
      const declaredHere = prop.declarations?.some((d) => !d.getSourceFile().fileName.includes('node_modules')) ?? false;
      if (declaredHere) walk(checker.getTypeOfSymbol(prop), `${prefix}.${prop.getName()}`);
    }
  };

  for (const file of files) {
    const sf = program.getSourceFile(file);
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (let sym of checker.getExportsOfModule(moduleSymbol)) {
      if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      if (sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) walk(checker.getDeclaredTypeOfSymbol(sym), sym.getName());
      if (sym.flags & ts.SymbolFlags.Value) walk(checker.getTypeOfSymbol(sym), sym.getName());
    }
  }
  return [...found].sort();
}

describe('money API types', () => {
  it('never takes or returns a JS number for an amount or a rate: only the listed counts are numbers', () => {
    expect(numberSlots()).toEqual(COUNTS);
  }, 30_000);
});
