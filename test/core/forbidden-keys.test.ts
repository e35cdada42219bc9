import { describe, expect, it } from 'vitest';
import { forbiddenKeys } from '../../src/core/validation/messages.js';

describe('forbiddenKeys', () => {
  it('names each refused key by its JSON pointer, escaping ~ and / in the keys on the way', () => {
    const body = JSON.parse('{"a/b~c":[{"ok":1},{"__proto__":{"x":1}}],"prototype":2,"fine":{"constructor":null}}') as unknown;
    expect(forbiddenKeys(body).map((p) => p.pointer)).toEqual(['/a~1b~0c/1/__proto__', '/prototype', '/fine/constructor']);
  });

  it('finds nothing in a clean body', () => {
    expect(forbiddenKeys({ a: [1, { b: 'c' }], d: null })).toEqual([]);
  });
});
