import { useState } from 'preact/hooks';
import { problemText } from '../../api/client';
import { t } from '../../i18n';
import { clearKey, setKey } from '../../session';
import { ErrorBox } from '../../components/error-box';

/**
 * Checks the key against the service before keeping it: 401 means the key is wrong; a 403 means the key is
 * valid but lacks the roles of that route (an author or approver key), which is still a sign-in.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setKey(token.trim());
    try {
      const res = await fetch('/v1/policies', { headers: { Authorization: `Bearer ${token.trim()}` } });
      if (res.status === 401) {
        clearKey();
        setError(t('badKey'));
      } else onSignedIn();
    } catch (err) {
      clearKey();
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card sign-in" onSubmit={submit}>
      <h2>{t('signIn')}</h2>
      <label for="api-key">{t('apiKey')}</label>
      <input id="api-key" data-testid="api-key" type="password" autocomplete="off" required value={token} onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} aria-describedby="api-key-help" />
      <p id="api-key-help" class="hint">
        {t('apiKeyHelp')}
      </p>
      <button type="submit" data-testid="sign-in" disabled={busy || !token.trim()}>
        {t('signIn')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
