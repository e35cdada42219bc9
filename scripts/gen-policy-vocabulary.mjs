// Writes the author's vocabulary into schemas/policy.schema.json from the code that defines it: fact names
// (src/core/facts/catalog.ts), operators (src/core/policy/operators.ts) and the parameters the engine reads
// (src/core/policy/engine-params.ts), each with its description, so editors (the workbench, VS Code with a
// yaml-language-server modeline) complete and explain them. Validation is unchanged: any string is still
// accepted by the schema and an unknown name is reported at load time with its location.
// Reads the compiled modules: run `npm run build` first. `--check` exits 1 when the schema is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'schemas', 'policy.schema.json');
const { FACTS } = await import(join(root, 'dist/src/core/facts/catalog.js'));
const { OPERATORS } = await import(join(root, 'dist/src/core/policy/operators.js'));
const { ENGINE_PARAMS } = await import(join(root, 'dist/src/core/policy/engine-params.js'));

export function vocabulary() {
  const facts = Object.entries(FACTS).map(([name, f]) => ({
    const: name,
    description: `${f.description} (${f.type}${f.values ? `: ${f.values.join(', ')}` : ''}; ${f.scope === 'application' ? 'same for every option' : f.scope === 'option' ? 'per option' : 'waiver and account-action rules only'})`,
  }));
  const operators = Object.entries(OPERATORS).map(([name, types]) => ({ const: name, description: `Applies to ${types.join(', ')} facts.` }));
  const params = Object.fromEntries(Object.entries(ENGINE_PARAMS).map(([name, p]) => [name, { $ref: '#/$defs/Parameter', description: `${p.description} Read by the engine (${p.type}); required.` }]));
  return { facts, operators, params };
}

const current = JSON.parse(readFileSync(file, 'utf8'));
const schema = JSON.parse(JSON.stringify(current));
const v = vocabulary();
schema.$defs.FactName = { title: 'FactName', description: 'A fact a condition may name; derived before the rules run.', type: 'string', oneOf: v.facts };
schema.$defs.OperatorName = { title: 'OperatorName', description: 'A comparison; each applies to some fact types.', type: 'string', oneOf: v.operators };
const leaf = schema.$defs.Condition.properties;
leaf.fact = { type: 'string', minLength: 1, maxLength: 64, description: 'A fact (see FactName); an unknown name is reported at load time with the closest match.', anyOf: [{ $ref: '#/$defs/FactName' }, { type: 'string' }] };
leaf.operator = { type: 'string', minLength: 1, maxLength: 64, description: "An operator (see OperatorName) that fits the fact's type.", anyOf: [{ $ref: '#/$defs/OperatorName' }, { type: 'string' }] };
schema.properties.parameters.properties = v.params;

// Compared as JSON values, so the file's own formatting is free.
if (process.argv.includes('--check')) {
  if (JSON.stringify(current) !== JSON.stringify(schema)) {
    console.error('drift: schemas/policy.schema.json does not hold the current facts, operators and engine parameters; run npm run build && npm run gen:policy-vocabulary');
    process.exit(1);
  }
  console.log('policy vocabulary current');
} else writeFileSync(file, `${JSON.stringify(schema, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
