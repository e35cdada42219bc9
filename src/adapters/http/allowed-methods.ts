/** The parts of express's router layers read here (router 2.x); nothing is called that changes them. */
interface Layer {
  match(path: string): false | { path: string };
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * The methods some route answers at `path`, found by walking the router stacks the way a request would
 * (nested routers included). Empty when no route has the path: then it is a 404, not a 405.
 */
export function allowedMethods(stack: readonly unknown[], path: string): string[] {
  const found = new Set<string>();
  walk(stack as Layer[], path, found, 0);
  if (found.has('GET')) found.add('HEAD');
  return [...found];
}

function walk(stack: Layer[], path: string, found: Set<string>, depth: number): void {
  if (depth > 8) return;
  for (const layer of stack) {
    const m = layer.match(path);
    if (!m) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.add(method.toUpperCase());
    } else if (Array.isArray(layer.handle?.stack)) walk(layer.handle.stack, path.slice(m.path.length) || '/', found, depth + 1);
  }
}
