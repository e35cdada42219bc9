import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { BalanceChart } from './balance-chart';
import { ExplainTree, type RuleEvaluation } from './explain-tree';
import { ScheduleTable, type ScheduleRow } from './schedule-table';

interface ReasonRef {
  code: string;
  rank?: number;
  text?: string;
}
interface OptionDecision {
  option: string;
  requested?: boolean;
  decision: string;
  reasonCodes?: ReasonRef[];
  firedRules?: string[];
  plan?: { schedule?: ScheduleRow[]; regularPayment?: string; amortisationMonths?: number; totalInterest?: string };
  waiver?: { waiverAmount?: string; penaltyAccrued?: string };
}
export interface DecisionLike {
  decisionId?: string;
  policy?: { id: string; version: string };
  options: OptionDecision[];
  accountAction?: { action: string; until?: string; reasonCodes?: ReasonRef[] };
  explanation?: { rules?: RuleEvaluation[] };
}

/** One decision as an analyst reads it: each option's outcome and reasons, the rule trees, and the chosen plan. */
export function DecisionView({ result }: { result: DecisionLike }) {
  const withPlan = result.options.filter((o) => o.plan?.schedule?.length);
  const [planOption, setPlanOption] = useState(withPlan[0]?.option ?? '');
  const plan = withPlan.find((o) => o.option === planOption) ?? withPlan[0];
  const [onlyFired, setOnlyFired] = useState(false);
  const rules = (result.explanation?.rules ?? []).filter((r) => !onlyFired || r.fired);
  return (
    <div class="decision-view">
      <section data-testid="decision" aria-label={t('decision')}>
        <h3>
          {t('decision')}
          {result.policy ? <small> · {result.policy.id}@{result.policy.version}</small> : null}
        </h3>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t('option')}</th>
              <th scope="col">{t('decision')}</th>
              <th scope="col">{t('reasons')}</th>
              <th scope="col">{t('firedRules')}</th>
            </tr>
          </thead>
          <tbody>
            {result.options.map((o) => (
              <tr key={o.option} data-option={o.option}>
                <th scope="row">
                  {o.option}
                  {o.requested ? ' *' : ''}
                </th>
                <td>
                  <span class={`badge d-${o.decision}`}>{o.decision}</span>
                </td>
                <td>
                  <ul class="plain">
                    {(o.reasonCodes ?? []).map((r) => (
                      <li key={r.code}>
                        <code>{r.code}</code> {r.text}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{(o.firedRules ?? []).join(', ')}</td>
              </tr>
            ))}
            {result.accountAction && (
              <tr>
                <th scope="row">{t('accountAction')}</th>
                <td>
                  <span class="badge">{result.accountAction.action}</span>
                  {result.accountAction.until ? ` → ${result.accountAction.until}` : ''}
                </td>
                <td colSpan={2}>{(result.accountAction.reasonCodes ?? []).map((r) => r.code).join(', ')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      {plan && (
        <section aria-label={t('schedule')}>
          <h3>{t('schedule')}</h3>
          {withPlan.length > 1 && (
            <label>
              {t('option')}{' '}
              <select value={plan.option} onChange={(e) => setPlanOption((e.currentTarget as HTMLSelectElement).value)}>
                {withPlan.map((o) => (
                  <option key={o.option} value={o.option}>
                    {o.option}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div class="plan-grid">
            <ScheduleTable rows={plan.plan!.schedule!} />
            <BalanceChart rows={plan.plan!.schedule!} />
          </div>
        </section>
      )}
      <section data-testid="explanation" aria-label={t('explanation')}>
        <h3>{t('explanation')}</h3>
        <label class="inline">
          <input type="checkbox" checked={onlyFired} onChange={(e) => setOnlyFired((e.currentTarget as HTMLInputElement).checked)} /> {t('onlyFired')}
        </label>
        <ExplainTree rules={rules} />
      </section>
    </div>
  );
}
