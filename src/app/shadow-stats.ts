import type { DecisionResult } from '../generated/decision.js';

/** How often, and how, the challenger policy's decisions differ from the champion's on live traffic (this process). */
export class ShadowStats {
  decisions = 0;
  differing = 0;
  readonly transitions: Record<string, Record<string, number>> = {};

  constructor(readonly challenger: string) {}

  record(champion: DecisionResult, challenger: DecisionResult): void {
    this.decisions++;
    let differs = false;
    const pairs: [string, string, string][] = champion.options.map((o) => [o.option, o.decision, challenger.options.find((c) => c.option === o.option)?.decision ?? 'MISSING']);
    pairs.push(['ACCOUNT_ACTION', champion.accountAction.action, challenger.accountAction.action]);
    for (const [option, from, to] of pairs) {
      if (from === to) continue;
      differs = true;
      const t = (this.transitions[option] ??= {});
      t[`${from}→${to}`] = (t[`${from}→${to}`] ?? 0) + 1;
    }
    if (differs) this.differing++;
  }

  report() {
    return { challenger: this.challenger, decisions: this.decisions, differing: this.differing, differingShare: this.decisions ? (this.differing / this.decisions).toFixed(4) : '0.0000', transitions: this.transitions };
  }
}
