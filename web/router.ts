// Every screen has its own address under /workbench/ (shareable, bookmarkable); the service answers the app's
// index.html for each, and this router picks the screen from location.pathname.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/workbench';

export type Screen = 'policies' | 'editor' | 'tests' | 'playground' | 'diff' | 'changes' | 'audit';
export const SCREENS: Screen[] = ['policies', 'editor', 'tests', 'playground', 'diff', 'changes', 'audit'];
/** Screens whose address names a policy: /workbench/{screen}/{policyId}. */
export const PER_POLICY: ReadonlySet<Screen> = new Set(['editor', 'tests', 'diff']);

export interface Route {
  screen: Screen;
  policyId?: string;
}

export function parse(pathname: string): Route {
  const [, screen, id] = pathname.slice(BASE.length).split('/');
  const s = SCREENS.find((x) => x === screen) ?? 'policies';
  return id && PER_POLICY.has(s) ? { screen: s, policyId: decodeURIComponent(id) } : { screen: s };
}

export function href(route: Route): string {
  return `${BASE}/${route.screen}${route.policyId ? `/${encodeURIComponent(route.policyId)}` : ''}`;
}

export function navigate(to: string): void {
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.pathname));
  useEffect(() => {
    const on = () => setRoute(parse(location.pathname));
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return route;
}

/** Click handler for in-app links: keeps modified clicks (new tab) native. */
export function onLink(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? BASE);
}
