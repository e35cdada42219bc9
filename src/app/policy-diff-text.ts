// A policy diff as plain lines for a risk reviewer (tideover policy diff).
import { formatValue } from './condition-text.js';
import type { FieldChange, PolicyDiff, RuleFieldChange, RuleSummary } from './policy-diff.js';

const RULE_FIELD_WORDS: Record<RuleFieldChange['field'], string> = {
  description: 'description',
  options: 'options',
  priority: 'priority',
  outcome: 'outcome',
  reasonCodes: 'reason codes',
  securityRequirement: 'security requirement',
  securityProvided: 'security provided',
  offerConditions: 'offer conditions',
  waiver: 'waiver',
  condition: 'conditions',
};

function quoted(s: string | undefined): string {
  return s === undefined ? '(none)' : JSON.stringify(s);
}

function arrow(c: FieldChange, quote = false): string {
  const show = quote ? quoted : (s: string | undefined) => s ?? '(none)';
  return `${show(c.from)} → ${show(c.to)}`;
}

function rulePhrase(r: RuleSummary): string {
  const what = r.outcome ? `outcome ${r.outcome}` : 'no outcome';
  const reasons = r.reasonCodes.length ? `, reasons ${r.reasonCodes.join(', ')}` : '';
  return `${r.options.join('/')}, priority ${r.priority}, ${what}${reasons}, when ${r.condition}`;
}

/** Plain lines for a risk reviewer, one change per line (rule changes may add indented detail lines). */
export function formatDiff(d: PolicyDiff): string {
  const lines: string[] = [];
  lines.push(`Policy ${d.old.id}@${d.old.version} (${d.old.file}) → ${d.new.id}@${d.new.version} (${d.new.file})`);
  if (d.identical) lines.push('No changes to parameters, rules, reason codes, defaults or documents.');

  for (const m of d.metadata) {
    if (m.from === undefined) lines.push(`Metadata ${m.field} added: ${quoted(m.to)}`);
    else if (m.to === undefined) lines.push(`Metadata ${m.field} removed (was ${quoted(m.from)})`);
    else lines.push(`Metadata ${m.field} changed from ${quoted(m.from)} to ${quoted(m.to)}`);
  }

  for (const p of d.parameters.changed) {
    const users = [...(p.usedByRules.length ? [`rules ${p.usedByRules.join(', ')}`] : []), ...(p.readByEngine ? ['the engine'] : [])];
    lines.push(`Parameter ${p.name} changed from ${formatValue(p.from)} to ${formatValue(p.to)}${users.length ? ` (read by ${users.join(' and ')})` : ''}`);
  }
  for (const p of d.parameters.added) lines.push(`Parameter ${p.name} added: ${formatValue(p.value)}`);
  for (const p of d.parameters.removed) lines.push(`Parameter ${p.name} removed (was ${formatValue(p.value)})`);

  for (const r of d.rules.added) lines.push(`Rule ${r.id} added: ${rulePhrase(r)} — ${r.description}`);
  for (const r of d.rules.removed) lines.push(`Rule ${r.id} removed (was ${rulePhrase(r)})`);
  for (const r of d.rules.changed) {
    for (const c of r.changes) {
      const label = RULE_FIELD_WORDS[c.field];
      if (c.field === 'condition') {
        if (c.details?.length) {
          for (const w of c.details) lines.push(`Rule ${r.id} changed: ${w}`);
        } else {
          lines.push(`Rule ${r.id} changed: conditions`);
          lines.push(`  before: ${c.from}`);
          lines.push(`  after:  ${c.to}`);
        }
      } else {
        lines.push(`Rule ${r.id} changed: ${label} ${arrow(c, c.field === 'description')}`);
      }
    }
  }

  for (const c of d.reasonCodes.added) lines.push(`Reason code ${c.code} added: rank ${c.rank}, "${c.text.en}"`);
  for (const c of d.reasonCodes.removed) lines.push(`Reason code ${c.code} removed (was rank ${c.rank}, "${c.text.en}")`);
  for (const c of d.reasonCodes.changed)
    for (const f of c.changes) {
      const what = f.field.startsWith('text.') ? `text (${f.field.slice(5)})` : f.field;
      lines.push(`Reason code ${c.code} changed: ${what} ${arrow(f, f.field.startsWith('text.'))}`);
    }

  for (const f of d.defaults) lines.push(`Default ${f.field} changed: ${arrow(f)}`);
  for (const f of d.documents) lines.push(`Documents ${f.field} changed: ${arrow(f)}`);
  return lines.join('\n');
}
