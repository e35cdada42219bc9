import { t } from '../i18n';

export interface ScheduleRow {
  period: number;
  dueDate: string;
  payment: string;
  principal: string;
  interest: string;
  closingBalance: string;
}

/** The plan's schedule to the cent, exactly as answered (decimal strings, never re-computed here). */
export function ScheduleTable({ rows }: { rows: ScheduleRow[] }) {
  return (
    <div class="scroll" data-testid="schedule" tabIndex={0} aria-label={t('schedule')}>
      <table class="grid num">
        <thead>
          <tr>
            <th scope="col">{t('period')}</th>
            <th scope="col">{t('dueDate')}</th>
            <th scope="col">{t('payment')}</th>
            <th scope="col">{t('principal')}</th>
            <th scope="col">{t('interest')}</th>
            <th scope="col">{t('closingBalance')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.period}>
              <td>{r.period}</td>
              <td>{r.dueDate}</td>
              <td>{r.payment}</td>
              <td>{r.principal}</td>
              <td>{r.interest}</td>
              <td>{r.closingBalance}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
