// The schema files as OpenAPI components. Each file's `$defs` become components of their own: nested under a
// component, a generator such as openapi-typescript reads `$defs` as a required property and the shapes it
// holds as `unknown`.

interface SchemaFile {
  title: string;
  $defs?: Record<string, unknown>;
}

type Names = Map<string, string>;

const key = (title: string, def: string) => `${title}#${def}`;

/** A definition keeps its own name unless another file (or a file's title) has it too; then the file's title prefixes it. */
function componentNames(files: Record<string, SchemaFile>): Names {
  const count = new Map<string, number>();
  const bump = (n: string) => count.set(n, (count.get(n) ?? 0) + 1);
  for (const f of Object.values(files)) {
    bump(f.title);
    for (const d of Object.keys(f.$defs ?? {})) bump(d);
  }
  const names: Names = new Map();
  for (const f of Object.values(files))
    for (const d of Object.keys(f.$defs ?? {})) names.set(key(f.title, d), count.get(d) === 1 ? d : `${f.title}${d}`);
  return names;
}

function target(ref: string, self: string, files: Record<string, SchemaFile>, names: Names): string {
  const [file, pointer = ''] = ref.split('#');
  const title = file ? files[file]?.title : self;
  if (!title) throw new Error(`unresolvable $ref ${ref}`);
  const def = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
  if (!def) return `#/components/schemas/${title}${pointer}`;
  const name = names.get(key(title, def[1]!));
  if (!name) throw new Error(`unresolvable $ref ${ref}: ${title} has no $defs/${def[1]}`);
  return `#/components/schemas/${name}${def[2]}`;
}

function rewrite(node: unknown, self: string, files: Record<string, SchemaFile>, names: Names): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, self, files, names));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id' || k === '$defs') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? target(v, self, files, names) : rewrite(v, self, files, names);
  }
  return out;
}

/** components.schemas: every file under its title and every `$defs` entry hoisted beside it, refs pointing there. */
export function componentSchemas(files: Record<string, SchemaFile>): Record<string, unknown> {
  const names = componentNames(files);
  const schemas: Record<string, unknown> = {};
  for (const f of Object.values(files)) {
    schemas[f.title] = rewrite(f, f.title, files, names);
    for (const [d, s] of Object.entries(f.$defs ?? {})) schemas[names.get(key(f.title, d))!] = rewrite(s, f.title, files, names);
  }
  return schemas;
}
