// The workbench in a real browser: Chromium from Debian's packages (CHROMIUM_PATH, default /usr/bin/chromium)
// driven by playwright-core against the compiled service on a free loopback port. One browser, one service,
// steps in order: an analyst changes a threshold, sees the marker for a typo, runs the tests, tries an
// application, reads the diff and impact, submits; an approver approves; the new decision is found in audit.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleApplication, ROOT } from '../helpers/app.js';
import { dataDir, startService, type Service } from '../helpers/service.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`browser suite skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const AUTHOR = 'tok-browser-author-0123456789';
const APPROVER = 'tok-browser-approver-0123456789';
const RESULTS = join(ROOT, 'test-results');
const IMG = join(ROOT, 'docs', 'img');
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

/** The example application received a minute ago, on an account 2 months on the books (G-09 refers it under minMonthsOnBook 3). */
function application(id: string): string {
  const app = exampleApplication();
  app.applicationId = id;
  app.receivedAt = new Date(Date.now() - 60_000).toISOString();
  app.loan.monthsOnBook = 2;
  app.loan.paymentsMade = 2;
  return JSON.stringify(app, null, 2);
}

describe.skipIf(!HAVE_CHROMIUM)('the risk workbench in Chromium', () => {
  let svc: Service;
  let context: BrowserContext;
  let author: Page;
  let approver: Page | undefined;
  let base: string;
  const run = Date.now().toString(36).toUpperCase();

  const api = async (method: string, path: string, token = AUTHOR) => {
    const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
    return res.json() as Promise<any>;
  };

  /** Replaces the whole text of the visible CodeMirror editor under `testId`, as a paste would. */
  async function setEditorText(page: Page, testId: string, text: string) {
    const content = page.locator(`[data-testid="${testId}"] .cm-content`);
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  /** Moves to a screen through the header navigation, as a user would (sign-in survives in the tab). */
  const go = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

  async function signIn(page: Page, token: string, path: string) {
    await page.goto(`${base}${path}`);
    await page.getByTestId('api-key').fill(token);
    await page.getByTestId('sign-in').click();
    await page.locator('nav').waitFor();
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
    const dir = dataDir();
    writeFileSync(
      join(dir, 'keys.yaml'),
      `keys:\n  - id: analyst\n    sha256: ${sha(AUTHOR)}\n    roles: [decide, audit, policy-admin, policy-author]\n  - id: approver\n    sha256: ${sha(APPROVER)}\n    roles: [audit, policy-approver]\n`,
    );
    svc = await startService(dir, {}, 90_000);
    base = `http://127.0.0.1:${svc.port}`;
    const profile = mkdtempSync(join(tmpdir(), 'tideover-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    author = context.pages()[0] ?? (await context.newPage());
    author.on('pageerror', (e) => console.error('page error:', e.message));
  });

  afterAll(async () => {
    await context?.close();
    svc?.proc.kill('SIGTERM');
    await svc?.exited;
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    mkdirSync(RESULTS, { recursive: true });
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    for (const [who, page] of [['author', author], ['approver', approver]] as const) if (page && !page.isClosed()) await page.screenshot({ path: join(RESULTS, `${name}-${who}.png`), fullPage: true });
  });

  it('signs in with an API key kept in sessionStorage (never in the URL) and lists the published policies', async () => {
    await signIn(author, AUTHOR, '/workbench/policies');
    await expect.poll(() => author.getByTestId('policy-list').textContent(), { timeout: 30_000 }).toContain('restructuring');
    expect(author.url()).not.toContain(AUTHOR);
    expect(await author.evaluate("sessionStorage.getItem('tideover.apiKey')")).toBe(AUTHOR);
    expect(await author.evaluate('localStorage.length')).toBe(0);
  });

  it('starts a draft from the serving version, edits a parameter and shows the marker for a typo with its fix', async () => {
    await go(author, 'Editor');
    await author.getByTestId('start-draft').click();
    await author.locator('[data-testid="editor"] .cm-content').waitFor();
    const draft = await api('GET', '/v1/policy-drafts/restructuring');
    expect(draft.version).toMatch(/^1\.\d+\.0$/);

    const edited = draft.policy.replace(/minMonthsOnBook: \{ value: 3/, 'minMonthsOnBook: { value: 2');
    expect(edited).not.toBe(draft.policy);
    await setEditorText(author, 'editor', edited.replace('value: { param: minMonthsOnBook }', 'value: { param: minMonthsOnBok }'));
    const problems = author.getByTestId('problems');
    await expect.poll(() => problems.textContent(), { timeout: 15_000 }).toContain('unknown parameter "minMonthsOnBok"');
    // The editor draws only what is in view: go to the problem's line:column, where its marker is drawn.
    await problems.locator('li', { hasText: 'minMonthsOnBok' }).getByRole('button').first().click();
    await expect.poll(() => author.locator('[data-testid="editor"] .cm-lintRange-error', { hasText: 'minMonthsOnBok' }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await problems.locator('[data-fix="minMonthsOnBook"]').click();
    await expect.poll(() => problems.textContent(), { timeout: 15_000 }).not.toContain('minMonthsOnBok');

    // The boundary case moves with the threshold: 2 months is now enough, 1 month is still referred.
    await author.getByTestId('tab-tests').click();
    const tests = (draft.tests as string).replace('on the books for 2 months is reviewed', 'on the books for 1 month is reviewed').replace('loan: { monthsOnBook: 2, paymentsMade: 2 }', 'loan: { monthsOnBook: 1, paymentsMade: 1 }');
    expect(tests).not.toBe(draft.tests);
    await setEditorText(author, 'tests-editor', tests);
    const save = author.getByTestId('save-draft');
    await save.click();
    // Saved once the button is idle again and the service holds both parts, checked (the copy of the serving
    // version it started from was submittable already, so the summary alone proves nothing).
    await expect
      .poll(
        async () => {
          if ((await save.textContent()) !== 'Save draft') return false;
          const d = await api('GET', '/v1/policy-drafts/restructuring');
          return d.policy.includes('minMonthsOnBook: { value: 2') && d.tests.includes('loan: { monthsOnBook: 1, paymentsMade: 1 }') && d.check.submittable;
        },
        { timeout: 300_000, interval: 2_000 },
      )
      .toBe(true);
    expect(await author.getByTestId('draft-check').textContent()).toContain('✓ submittable');
  });

  it('runs the draft tests: every case passes and the coverage names no rule that never fired', async () => {
    await go(author, 'Tests');
    await author.getByTestId('run-tests').click();
    const results = author.getByTestId('test-results');
    await expect.poll(() => results.textContent(), { timeout: 45_000 }).toMatch(/Test cases: (\d+)\/\1 passed/);
    expect(await author.getByTestId('coverage').textContent()).toContain('Never fired: None.');
  });

  it('decides an application in the playground, recorded with the serving version and tried with the draft', async () => {
    await go(author, 'Playground');
    await author.getByTestId('playground-input').fill(application(`APP-WB-${run}-1`));
    await author.getByLabel('the serving version (recorded in the audit trail)').check();
    await author.getByTestId('playground-run').click();
    const decision = author.getByTestId('decision');
    await expect.poll(() => decision.locator('[data-option="INSTALLMENT"]').textContent(), { timeout: 20_000 }).toContain('REFER');
    expect(await author.getByTestId('explanation').textContent()).toContain('G-09');

    await author.getByLabel(/the draft \(nothing recorded\)/).check();
    await author.getByTestId('playground-run').click();
    await expect.poll(() => decision.locator('[data-option="INSTALLMENT"]').textContent(), { timeout: 20_000 }).toContain('APPROVE');
    expect(await author.getByTestId('explanation').textContent()).toMatch(/monthsOnBook.*minMonthsOnBook/s);
    const schedule = author.getByTestId('schedule');
    expect(await schedule.locator('tbody tr').count()).toBeGreaterThan(2);
    expect(await schedule.textContent()).toContain('0.00');
    await author.getByTestId('balance-chart').locator('polyline').waitFor();
    mkdirSync(IMG, { recursive: true });
    await author.evaluate('window.scrollTo(0, 0)');
    await author.screenshot({ path: join(IMG, 'workbench-playground.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1250 } });
  });

  it('shows the semantic diff of the draft and its impact on the recorded decision, drillable to the application', async () => {
    await go(author, 'Diff & impact');
    const diff = author.getByTestId('diff');
    await expect.poll(() => diff.textContent(), { timeout: 30_000 }).toContain('parameter minMonthsOnBook: 3 → 2');
    const impact = author.getByTestId('impact');
    await expect.poll(() => impact.textContent(), { timeout: 30_000 }).toContain(`APP-WB-${run}-1`);
    await impact.locator('summary', { hasText: `APP-WB-${run}-1` }).click();
    expect(await impact.textContent()).toMatch(/REFER→APPROVE/);
    expect(await impact.textContent()).toContain('G-09');
    await author.screenshot({ path: join(IMG, 'workbench-impact.png'), fullPage: true });
  });

  it('submits with the author key and approves with another key; the new version then serves', async () => {
    await go(author, 'Changes');
    await author.getByTestId('submit').click();
    await expect.poll(() => author.getByTestId('changes').textContent(), { timeout: 45_000 }).toContain('PENDING');
    const version = (await api('GET', '/v1/policy-changes?status=PENDING')).changes[0].version as string;

    approver = await context.newPage();
    await signIn(approver, APPROVER, '/workbench/changes');
    const change = approver.locator('article.change', { hasText: `restructuring@${version}` });
    await change.getByTestId('diff').waitFor();
    expect(await change.getByTestId('impact').textContent()).toContain(`APP-WB-${run}-1`);
    await change.getByTestId('change-comment').fill('Reviewed: two months on book is enough with payments made.');
    await change.getByTestId('approve').click();
    await expect.poll(() => approver!.getByTestId('changes').textContent(), { timeout: 20_000 }).toContain(`restructuring@${version}: APPROVED`);
    await expect.poll(async () => (await api('GET', '/v1/policies')).policies.map((p: any) => p.version), { timeout: 15_000 }).toContain(version);
  });

  it('finds the decision made under the approved version in the audit screen, replays it and verifies the chain', async () => {
    await go(author, 'Playground');
    await author.getByTestId('playground-input').fill(application(`APP-WB-${run}-2`));
    await author.getByLabel('the serving version (recorded in the audit trail)').check();
    await author.getByTestId('playground-run').click();
    await expect.poll(() => author.getByTestId('decision').locator('[data-option="INSTALLMENT"]').textContent(), { timeout: 20_000 }).toContain('APPROVE');

    await go(author, 'Audit');
    const search = author.getByTestId('audit-search');
    await search.getByLabel('Application id').fill(`APP-WB-${run}-2`);
    await search.getByRole('button', { name: 'Search' }).click();
    await author.getByRole('button', { name: /^Open / }).first().click();
    const record = author.getByTestId('audit-record');
    await expect.poll(() => record.textContent(), { timeout: 20_000 }).toMatch(/restructuring@1\.\d+\.0/);
    expect(await record.textContent()).not.toContain('restructuring@1.1.0');
    await record.getByTestId('explanation').waitFor();
    await record.getByTestId('replay').click();
    await expect.poll(() => record.textContent(), { timeout: 30_000 }).toContain('Identical');
    // The approval itself is in the chain: the version, its approver and the comment.
    await author.getByTestId('policy-events').click();
    await expect.poll(() => author.locator('section', { has: author.getByTestId('policy-events') }).textContent(), { timeout: 30_000 }).toMatch(/restructuring@1\.\d+\.0.*POLICY_PUBLISHED.*analyst.*approver.*two months on book/s);
    await author.getByTestId('verify').click();
    await expect.poll(() => author.getByTestId('verify-result').textContent(), { timeout: 30_000 }).toMatch(/Chain intact: \d+ records/);
  });

  it('is usable at 390 px wide and switches its labels to Chinese', async () => {
    await author.setViewportSize({ width: 390, height: 800 });
    await author.getByTestId('language').selectOption('zh');
    await expect.poll(() => author.locator('nav').textContent(), { timeout: 30_000 }).toContain('审计');
    const overflow = (await author.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await author.getByTestId('language').selectOption('en');
    await author.setViewportSize({ width: 1280, height: 800 });
  });
});
