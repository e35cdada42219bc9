import Ajv2020Module from 'ajv/dist/2020.js';
import configSchema from '../schemas/config.schema.json' with { type: 'json' };
import type { Config } from './generated/config.js';

export type { Config };

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv2020Module.default({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile<Config>(configSchema);

/** Environment → validated config with defaults; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Required<Omit<Config, 'SHADOW_POLICY' | 'SCREENING_SPOOL_DIR'>> & Pick<Config, 'SHADOW_POLICY' | 'SCREENING_SPOOL_DIR'> {
  const props = Object.keys(configSchema.properties);
  const raw: Record<string, unknown> = {};
  for (const k of props) if (env[k] !== undefined && env[k] !== '') raw[k] = env[k];
  if (!validate(raw)) {
    const e = validate.errors![0]!;
    const setting = e.instancePath.slice(1) || String((e.params as { missingProperty?: string }).missingProperty ?? '');
    throw new ConfigError(setting, `${setting}=${JSON.stringify(env[setting] ?? '')} is invalid: ${e.message}`);
  }
  return raw as ReturnType<typeof loadConfig>;
}
