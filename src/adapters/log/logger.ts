import winston from 'winston';

/** One JSON object per line on stdout. Callers pass ids already hashed; no incomes or names are ever logged. */
export function createLogger(level: string, stream?: NodeJS.WritableStream): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { service: 'tideover' },
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console()],
  });
}

export type Logger = winston.Logger;
