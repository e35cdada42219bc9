// What the editor completes and explains, read from the policy JSON Schema the service publishes at
// /v1/schemas/policy.json (the same file it validates with), plus the names the document itself defines.
import { parseDocument, isMap, isScalar, type Document } from 'yaml';

export interface Term {
  name: string;
  detail?: string;
  description?: string;
}

export interface Vocabulary {
  facts: Term[];
  operators: Term[];
  outcomes: Term[];
  options: Term[];
  engineParams: Term[];
}

type Node = { oneOf?: Node[]; anyOf?: Node[]; enum?: string[]; const?: string; description?: string; $ref?: string; properties?: Record<string, Node>; items?: Node };

function consts(node: Node | undefined): Term[] {
  if (!node) return [];
  if (node.enum) return node.enum.map((name) => ({ name }));
  const branches = node.oneOf ?? node.anyOf ?? [];
  return branches.flatMap((b) => (typeof b.const === 'string' ? [{ name: b.const, ...(b.description ? { description: b.description } : {}) }] : []));
}

/** Reads the vocabulary out of the schema; a schema without it (older service) gives empty lists, never an error. */
export function vocabularyOf(schema: { $defs?: Record<string, Node>; properties?: Record<string, Node> }): Vocabulary {
  const defs = schema.$defs ?? {};
  const ruleProps = defs.Rule?.properties ?? {};
  const params = schema.properties?.parameters?.properties ?? {};
  return {
    facts: consts(defs.FactName),
    operators: consts(defs.OperatorName),
    outcomes: consts(ruleProps.outcome),
    options: consts(defs.OptionName),
    engineParams: Object.entries(params).map(([name, p]) => ({ name, ...(p.description ? { description: p.description } : {}) })),
  };
}

export async function loadVocabulary(): Promise<Vocabulary> {
  const res = await fetch('/v1/schemas/policy.json');
  if (!res.ok) return { facts: [], operators: [], outcomes: [], options: [], engineParams: [] };
  return vocabularyOf((await res.json()) as Parameters<typeof vocabularyOf>[0]);
}

/** Parameters and reason codes the document defines (with each parameter's value and description). */
export function documentNames(text: string): { params: Term[]; reasonCodes: Term[] } {
  let doc: Document;
  try {
    doc = parseDocument(text);
  } catch {
    return { params: [], reasonCodes: [] };
  }
  const section = (key: string): Term[] => {
    const node = doc.get(key, true);
    if (!isMap(node)) return [];
    return node.items.flatMap((pair) => {
      if (!isScalar(pair.key)) return [];
      const name = String(pair.key.value);
      const v = pair.value;
      const js: unknown = v && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON: () => unknown }).toJSON() : isScalar(v) ? v.value : undefined;
      const obj = js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : undefined;
      const value = obj && 'value' in obj ? obj.value : obj && 'rank' in obj ? `rank ${String(obj.rank)}` : js;
      const description = typeof obj?.description === 'string' ? obj.description : obj?.text && typeof obj.text === 'object' ? String((obj.text as Record<string, unknown>).en ?? '') : undefined;
      return [{ name, detail: JSON.stringify(value), ...(description ? { description } : {}) }];
    });
  };
  return { params: section('parameters'), reasonCodes: section('reasonCodes') };
}
