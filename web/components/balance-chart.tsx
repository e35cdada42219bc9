import { t } from '../i18n';
import type { ScheduleRow } from './schedule-table';

const W = 360;
const H = 160;
const PAD = 28;

/**
 * Closing balance per period as an SVG line. Only the drawing scales balances to pixels (a float is fine for a
 * pixel); the amounts shown in text are the answer's decimal strings.
 */
export function BalanceChart({ rows }: { rows: ScheduleRow[] }) {
  const first = rows[0];
  if (!first) return null;
  const opening = Number(first.closingBalance) + Number(first.principal);
  const max = Math.max(opening, ...rows.map((r) => Number(r.closingBalance))) || 1;
  const x = (i: number) => PAD + ((W - 2 * PAD) * i) / rows.length;
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * v) / max;
  const points = [`${x(0)},${y(opening)}`, ...rows.map((r, i) => `${x(i + 1)},${y(Number(r.closingBalance))}`)].join(' ');
  const last = rows[rows.length - 1]!;
  return (
    <figure data-testid="balance-chart" class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t('balance')}: ${opening.toFixed(2)} → ${last.closingBalance}, ${rows.length} ${t('period')}`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} class="axis" />
        <polyline points={points} class="line" fill="none" />
        <text x={PAD} y={PAD - 8} class="label">
          {opening.toFixed(2)}
        </text>
        <text x={W - PAD} y={H - 8} class="label" text-anchor="end">
          {last.dueDate}
        </text>
      </svg>
      <figcaption>{t('balance')}</figcaption>
    </figure>
  );
}
