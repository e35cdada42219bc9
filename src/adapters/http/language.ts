import type { Request } from 'express';
import type { Language } from '../../core/explain/reasons.js';

/** Accept-Language picks reason texts: Chinese when zh ranks above en, English otherwise (the default). */
export function languageOf(req: Request): Language {
  // Without the header every language is acceptable and the first, en, is chosen: no need to negotiate.
  if (req.headers['accept-language'] === undefined) return 'en';
  return req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en';
}
