import { useState } from 'preact/hooks';
import { api, must } from './api/client';
import { getLang, setLang, t, type Label } from './i18n';
import { href, onLink, PER_POLICY, SCREENS, useRoute, type Route, type Screen } from './router';
import { clearKey, getKey } from './session';
import { SignIn } from './screens/sign-in/sign-in';
import { Policies } from './screens/policies/policies';
import { Playground } from './screens/playground/playground';
import { Audit } from './screens/audit/audit';
import { EditorScreen } from './screens/editor/editor-screen';
import { Tests } from './screens/tests/tests';
import { Diff } from './screens/diff/diff';
import { Changes } from './screens/changes/changes';
import { useAsync } from './components/use-async';

const DEFAULT_POLICY = 'restructuring';

function Nav({ route, policyId }: { route: Route; policyId: string }) {
  return (
    <nav aria-label="Screens">
      <ul class="nav">
        {SCREENS.map((s: Screen) => {
          const to = href(PER_POLICY.has(s) ? { screen: s, policyId } : { screen: s });
          return (
            <li key={s}>
              <a href={to} onClick={onLink} aria-current={route.screen === s ? 'page' : undefined}>
                {t(s as Label)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Screen({ route, policyId }: { route: Route; policyId: string }) {
  switch (route.screen) {
    case 'policies':
      return <Policies />;
    case 'editor':
      return <EditorScreen policyId={policyId} />;
    case 'tests':
      return <Tests policyId={policyId} />;
    case 'playground':
      return <Playground policyId={policyId} />;
    case 'diff':
      return <Diff policyId={policyId} />;
    case 'changes':
      return <Changes />;
    case 'audit':
      return <Audit />;
  }
}

export function App() {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(() => getKey() !== null);
  const [, setLangState] = useState(getLang());
  const first = useAsync(async () => (signedIn ? (must(await api.GET('/v1/policies')) as { policies: { id: string }[] }).policies : []), [signedIn]);
  const known = (first.data as { id: string }[] | undefined)?.[0]?.id ?? DEFAULT_POLICY;
  const policyId = route.policyId ?? known;

  const switchLang = (e: Event) => {
    const next = (e.currentTarget as HTMLSelectElement).value === 'zh' ? 'zh' : 'en';
    setLang(next);
    setLangState(next);
  };

  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <h1>{t('title')}</h1>
        <label class="lang">
          <span>{t('language')}</span>
          <select data-testid="language" value={getLang()} onChange={switchLang}>
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
        {signedIn && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              clearKey();
              setSignedIn(false);
            }}
          >
            {t('signOut')}
          </button>
        )}
      </header>
      {signedIn && <Nav route={route} policyId={policyId} />}
      <main id="main" tabIndex={-1}>
        {signedIn ? <Screen key={`${route.screen}/${policyId}/${getLang()}`} route={route} policyId={policyId} /> : <SignIn onSignedIn={() => setSignedIn(true)} />}
      </main>
    </>
  );
}
