// The API key lives only in this tab's sessionStorage: it survives moving between screens and reloads,
// and is gone when the tab closes. It is sent as a Bearer header, never put in a URL and never logged.
const KEY = 'tideover.apiKey';

export function getKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setKey(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearKey(): void {
  sessionStorage.removeItem(KEY);
}
