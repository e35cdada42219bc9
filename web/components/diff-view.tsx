import { t } from '../i18n';

interface FieldChange {
  field: string;
  from?: string;
  to?: string;
  details?: string[];
}
interface PolicyDiff {
  old?: { version: string };
  new?: { version: string };
  identical?: boolean;
  metadata?: FieldChange[];
  parameters?: { added: { name: string; value: unknown }[]; removed: { name: string; value: unknown }[]; changed: { name: string; from: unknown; to: unknown; usedByRules: string[]; readByEngine: boolean }[] };
  rules?: { added: { id: string; description: string; condition: string }[]; removed: { id: string; description: string }[]; changed: { id: string; changes: FieldChange[] }[] };
  reasonCodes?: { added: { code: string }[]; removed: { code: string }[]; changed: { code: string; changes: FieldChange[] }[] };
  defaults?: FieldChange[];
  documents?: FieldChange[];
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const fields = (list: FieldChange[] | undefined) => (list ?? []).map((c) => `${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}${c.details?.length ? ` (${c.details.join('; ')})` : ''}`);

/** The semantic diff in the words a reviewer reads: parameters with the rules that read them, rules, reasons, defaults, documents. */
export function DiffView({ diff }: { diff: unknown }) {
  const d = (diff ?? {}) as PolicyDiff;
  const lines: string[] = [
    ...fields(d.metadata).map((x) => `metadata ${x}`),
    ...(d.parameters?.changed ?? []).map((p) => `parameter ${p.name}: ${show(p.from)} → ${show(p.to)}${p.usedByRules.length ? ` (read by ${p.usedByRules.join(', ')})` : ''}${p.readByEngine ? ' (read by the engine)' : ''}`),
    ...(d.parameters?.added ?? []).map((p) => `parameter ${p.name} added: ${show(p.value)}`),
    ...(d.parameters?.removed ?? []).map((p) => `parameter ${p.name} removed (was ${show(p.value)})`),
    ...(d.rules?.added ?? []).map((r) => `rule ${r.id} added: ${r.description} — ${r.condition}`),
    ...(d.rules?.removed ?? []).map((r) => `rule ${r.id} removed: ${r.description}`),
    ...(d.rules?.changed ?? []).flatMap((r) => fields(r.changes).map((x) => `rule ${r.id} ${x}`)),
    ...(d.reasonCodes?.added ?? []).map((r) => `reason code ${r.code} added`),
    ...(d.reasonCodes?.removed ?? []).map((r) => `reason code ${r.code} removed`),
    ...(d.reasonCodes?.changed ?? []).flatMap((r) => fields(r.changes).map((x) => `reason code ${r.code} ${x}`)),
    ...fields(d.defaults).map((x) => `defaults ${x}`),
    ...fields(d.documents).map((x) => `documents ${x}`),
  ];
  return (
    <section data-testid="diff" aria-label={t('semanticDiff')}>
      <h3>
        {t('semanticDiff')}
        {d.old && d.new ? ` (${d.old.version} → ${d.new.version})` : ''}
      </h3>
      {diff === null || diff === undefined ? <p>{t('none')}</p> : d.identical ? <p>identical</p> : (
        <ul>
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
