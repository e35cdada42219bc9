import type { DocumentType } from '../../generated/common.js';
import type { RestructuringApplication } from '../../generated/application.js';
import type { DocumentGroup, DocumentMatrix } from '../../generated/policy.js';

/** Types of the verified documents (a handful: a list searches them faster than a Set is built). */
function verifiedTypes(app: RestructuringApplication): DocumentType[] {
  const types: DocumentType[] = [];
  for (const d of app.documents ?? []) if (d.verified) types.push(d.type);
  return types;
}

/**
 * The document matrix (docs/domain.md#required-documents) applied to one application: what each option still needs.
 * `oneOf` groups are met by any one verified document; when none is, the first is asked for.
 */
export function requiredDocuments(matrix: DocumentMatrix | undefined, app: RestructuringApplication, enhanced: boolean): DocumentType[] {
  if (!matrix) return [];
  const groups: DocumentGroup[] = [matrix.all];
  const byReason = matrix.byReason[app.borrower.hardship.reason];
  if (byReason) groups.push(byReason);
  if (app.guarantor && matrix.guarantor) groups.push(matrix.guarantor);
  if (app.collateral?.length && matrix.collateral) groups.push(matrix.collateral);
  const verified = verifiedTypes(app);
  const needed: DocumentType[] = [];
  const need = (d: DocumentType) => {
    if (!verified.includes(d) && !needed.includes(d)) needed.push(d);
  };
  for (const g of groups) {
    g.required?.forEach(need);
    if (g.oneOf?.length && !g.oneOf.some((d) => verified.includes(d))) need(g.oneOf[0]!);
    if (enhanced) g.enhanced?.forEach(need);
  }
  return needed;
}

/** Whether the hardship itself is evidenced: the reason's own documents, all verified. */
export function hardshipDocumented(matrix: DocumentMatrix | undefined, app: RestructuringApplication): boolean {
  if (!matrix) return false;
  const g = matrix.byReason[app.borrower.hardship.reason];
  const verified = verifiedTypes(app);
  if (!verified.includes('HARDSHIP_STATEMENT')) return false;
  if (!g) return true;
  return (g.required ?? []).every((d) => verified.includes(d)) && (!g.oneOf?.length || g.oneOf.some((d) => verified.includes(d)));
}

const INCOME_DOCS: DocumentType[] = ['PAYSLIPS_3M', 'TAX_INCOME_RECORD', 'BANK_STATEMENTS_3M'];

/** Income before and after evidenced: verified income and a verified income document. */
export function incomeEvidenceVerified(app: RestructuringApplication): boolean {
  return app.borrower.incomeVerified && (app.documents ?? []).some((d) => d.verified && INCOME_DOCS.includes(d.type));
}
