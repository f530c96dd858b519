// The console in a real browser (puppeteer-core driving Debian's chromium): `personalize-local start` with
// generated data, then dataset group -> campaign -> Try it, a list for a user, a PutEvents click, and the list
// changes. Every request must stay on the local server and the page must log no error.
// Set CONSOLE_SCREENSHOTS=<dir> to keep screenshots of each page (1280x800 and 390 px wide).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateDatasetGroupCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKUP_TITLE, seedActions, seedDomainShop, seedShop } from './helpers/console-data.js';
import { tempDir } from './helpers/data.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => Boolean(p && existsSync(p)));
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
if (!CHROMIUM) console.warn('console-browser.test.ts skipped: no chromium found (Debian: apt-get install chromium; .ci/run installs it).');

describe.skipIf(!CHROMIUM)('the console in a browser', () => {
  const dir = tempDir('plocal-console-');
  let server: ChildProcess;
  let url = '';
  let lines: string[] = [];
  let browser: Browser;
  let page: Page;
  let groupArn = '';
  const errors: string[] = [];
  const outside: string[] = [];

  beforeAll(async () => {
    server = spawn(process.execPath, [CLI, 'start', '--port', '0', '--data-dir', join(dir, 'state'), '--transitions', 'immediate', '--clock', 'manual'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; if (out.split('\n').length > 2) resolve(); });
      server.on('exit', (code) => reject(new Error(`start exited with ${code}: ${out}`)));
    });
    lines = out.trim().split('\n');
    url = lines[0]!.slice('listening on '.length);
    ({ groupArn } = await seedShop(url, join(dir, 'state', 'buckets')));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'chromium')}`],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.setRequestInterception(true);
    const origin = new URL(url).origin;
    page.on('request', (req) => {
      const u = req.url();
      if (u.startsWith('data:') || new URL(u).origin === origin) void req.continue();
      else { outside.push(u); void req.abort(); }
    });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string, fullPage = true) => { if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage }); };
  const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''));
  /** Waits until the Try-it page has all its answers. */
  const settled = () => page.waitForSelector('.try[aria-busy="false"]');
  /** Item ids of a pane's list, once it shows one. */
  const list = async (side: 'A' | 'B') => {
    await page.waitForSelector(`[data-test="list-${side}"] tbody tr`);
    return texts(`[data-test="list-${side}"] tbody td:nth-child(2) code`);
  };

  it('start prints the listening line first and the console second', () => {
    expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toBe(`console at ${url}/_personalize/ui`);
  });

  it('navigates dataset group -> campaign -> Try it, gets a list, sends a click and sees the list change', async () => {
    await page.goto(`${url}/_personalize/ui`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-test="group-link"]');
    await shot('1-home');
    await page.click('[data-test="group-link"]');
    await page.waitForSelector('[data-test="campaign-link"]');
    expect(await texts('[data-test="campaign-link"]')).toEqual(['personal-campaign', 'popular-campaign']);
    await shot('2-group');
    const personal = (await page.$$('[data-test="campaign-link"]'))[0]!;
    await personal.click();
    await page.waitForSelector('[data-test="try-campaign"]');
    await shot('3-campaign');
    await page.click('[data-test="try-campaign"]');

    // The lightest user (3 Drama interactions): the personalized list in A, the popular one in B.
    await page.waitForSelector('[data-test="user-chip"]');
    const light = (await page.$$('[data-test="user-chip"]')).at(-1)!;
    const lightUser = (await light.evaluate((e) => e.firstChild!.textContent))!;
    expect(lightUser).toMatch(/^light-/);
    await light.click();
    await page.waitForFunction((u) => [...document.querySelectorAll('[data-test="history"] td:nth-child(3)')].length === 3
      && (document.querySelector('[data-test="user"]') as HTMLInputElement).value === u, {}, lightUser);
    await settled();
    const before = await list('A');
    expect(before.length).toBe(10);
    expect(await texts('[data-test="list-A"] [data-col="GENRES"]')).toContain('Drama'); // item metadata beside each item
    await shot('4-try');

    // No event tracker yet: the console offers to create one; then each shown item has a click button.
    await page.click('[data-test="create-tracker"]');
    await page.waitForSelector('[data-test="list-B"] [data-test="click-item"]');
    await settled();
    // Click a popular item of another genre, shown in B, three times over: the user's taste moves.
    const rowsB = await page.$$('[data-test="list-B"] tbody tr');
    const genres = await Promise.all(rowsB.map((r) => r.$eval('[data-col="GENRES"]', (e) => e.textContent)));
    const target = genres.findIndex((g) => g === 'Horror');
    expect(target).toBeGreaterThanOrEqual(0);
    const clicked = (await rowsB[target]!.$eval('td:nth-child(2) code', (e) => e.textContent))!;
    const click = async (n: number) => {
      const button = await page.waitForSelector(`xpath/.//table[@data-test="list-B"]//tr[.//code[text()="${clicked}"]]//button`);
      await button!.click();
      await page.waitForFunction((k) => document.querySelectorAll('[data-test="event-log"] .event').length === k, {}, n);
      await settled();
    };
    await click(1);
    // One click folds into the user's history: list A changes at once, and what moved is marked.
    const after = await list('A');
    expect(after).not.toEqual(before);
    expect((await texts('[data-test="list-A"] .chg')).length).toBeGreaterThan(0);
    expect(await texts('[data-test="history"] td:nth-child(3) code')).toContain(clicked);
    await shot('5-try-after-click');
    // Two more clicks on the same genre: more of it in the list than before any click.
    await click(2);
    await click(3);
    expect(await texts('[data-test="history"] td:nth-child(3) code')).toHaveLength(6);
    const horror = async () => (await texts('[data-test="list-A"] [data-col="GENRES"]')).filter((g) => g === 'Horror').length;
    expect(await horror()).toBeGreaterThan(before.filter((id) => Number(id.slice(5)) >= 30 && Number(id.slice(5)) < 45).length);
    await shot('5-try-after-clicks');

    await page.setViewport({ width: 390, height: 844 });
    await shot('6-try-narrow');
    await shot('6-try-narrow-top', false);
    await page.setViewport({ width: 1280, height: 800 });
  });

  it('shows item metadata from user CSVs as text, never as markup', async () => {
    await page.goto(`${url}/_personalize/ui#/try/${encodeURIComponent(groupArn)}?user=user-0&n=25`, { waitUntil: 'networkidle0' });
    await list('A');
    const dataset = `${groupArn.replace(':dataset-group/', ':dataset/')}/ITEMS`;
    await page.goto(`${url}/_personalize/ui#/dataset/${encodeURIComponent(dataset)}?rows=100`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-test="sample-rows"]');
    expect(await texts('[data-test="sample-rows"] td')).toContain(MARKUP_TITLE);
    expect(await page.$$eval('main img', (els) => els.length)).toBe(0);
    expect(await page.title()).toBe('personalize-local console');
    expect((await texts('[data-test="import-failure"]')).join(' ')).toMatch(/no-such-file\.csv/);
    await shot('7-dataset');
  });

  it('shows solution metrics as a table and a vega chart, and a batch job\'s output lines', async () => {
    await page.goto(`${url}/_personalize/ui#/group/${encodeURIComponent(groupArn)}`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-test="solution-link"]');
    await (await page.$$('[data-test="solution-link"]'))[0]!.click();
    await page.waitForSelector('[data-test="metrics-chart"] svg');
    expect((await texts('[data-test="metrics-table"] td')).join(' ')).toMatch(/NDCG@10/);
    await shot('8-solution');
    await page.goto(`${url}/_personalize/ui#/group/${encodeURIComponent(groupArn)}`, { waitUntil: 'networkidle0' });
    const job = await page.waitForSelector('xpath/.//a[text()="nightly"]');
    await job!.click();
    await page.waitForSelector('[data-test="output-lines"]');
    const out = await texts('[data-test="output-lines"] code');
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[0]!)).toMatchObject({ input: { userId: 'user-0' }, error: null });
    await shot('9-batch');
  });

  it('tries a domain recommender: its list with each slot explained, after the use case\'s own exclusions', async () => {
    const domain = await seedDomainShop(url, join(dir, 'state', 'buckets'));
    await page.goto(`${url}/_personalize/ui#/try/${encodeURIComponent(domain.groupArn)}?user=user-0`, { waitUntil: 'networkidle0' });
    // The pane picks the group's recommender by itself.
    await page.waitForFunction(() => (document.querySelector('select[data-test="target-A"]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.startsWith('recommender for-you'));
    await settled();
    expect(await list('A')).toHaveLength(10);
    // recommended-for-you explores (weight 0.3 by default): each slot says which way it was filled.
    const slots = await texts('[data-test="list-A"] [data-test="slot"]');
    expect(slots).toHaveLength(10);
    expect(slots).toContain('relevance');
    expect(slots.every((s) => s === 'relevance' || s === 'exploration')).toBe(true);
    expect((await texts('[data-test="list-A"] .trace')).length).toBe(10); // the explain trace of every slot
    // user-0 purchased some items: recommended-for-you leaves them out, and the summary counts what remains.
    const summary = (await texts('.summary')).join(' ');
    const [, left, all] = summary.match(/([\d,]+) of ([\d,]+) items pass the filter/)!;
    expect(Number(left!.replace(/,/g, ''))).toBeLessThan(Number(all!.replace(/,/g, '')));
    await shot('10-try-recommender');
  });

  it('takes a recommended action from the page (PutActionInteractions) and asks for the next best actions again', async () => {
    const actions = await seedActions(url, join(dir, 'state', 'buckets'));
    await page.goto(`${url}/_personalize/ui#/try/${encodeURIComponent(actions.groupArn)}?user=actor-2&n=3`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => (document.querySelector('select[data-test="target-A"]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.startsWith('campaign next-actions'));
    await settled();
    const before = await list('A');
    expect(before).toHaveLength(3);
    expect(before.every((a) => a.startsWith('a'))).toBe(true); // actor-2 is of taste group A, and takes its actions
    await (await page.$('[data-test="list-A"] [data-test="take-action"]'))!.click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="event-log"] .event')].some((e) => e.textContent!.startsWith('PutActionInteractions: actor-2 Taken')));
    await settled();
    expect(await list('A')).toHaveLength(3);
    await shot('11-try-actions');
  });

  it('moves the server clock forward from the page', async () => {
    const before = await page.$eval('[data-test="server-time"]', (e) => e.textContent);
    await page.click('[data-test="clock-1d"]');
    await page.waitForFunction((t) => document.querySelector('[data-test="server-time"]')!.textContent !== t, {}, before);
    const after = await page.$eval('[data-test="server-time"]', (e) => e.textContent);
    const day = (s: string | null) => Date.parse(`${s!.replace('server time ', '').replace(' UTC', '').replace(' ', 'T')}Z`);
    expect(day(after) - day(before)).toBe(86_400_000);
  });

  it('shows the resources of the region a client created them in, with a choice of region', async () => {
    const eu = new PersonalizeClient({ endpoint: url, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await eu.send(new CreateDatasetGroupCommand({ name: 'eu-shop' }));
    eu.destroy();
    await page.goto(`${url}/_personalize/ui#/`, { waitUntil: 'networkidle0' });
    const names = () => texts('[data-test="group-link"]');
    const region = 'select[data-test="region"]'; // a plain label while only one region is known
    await page.waitForSelector(region);
    expect(await page.$$eval(`${region} option`, (os) => os.map((o) => o.textContent))).toEqual(['eu-west-1', 'us-east-1']);
    expect(await names()).not.toContain('eu-shop'); // the server's default region first, as it holds resources
    await page.select(region, 'eu-west-1');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="group-link"]')].some((a) => a.textContent === 'eu-shop'));
    expect(await names()).toEqual(['eu-shop']);
    await page.reload({ waitUntil: 'networkidle0' }); // the choice is kept
    await page.waitForSelector('[data-test="group-link"]');
    expect(await names()).toEqual(['eu-shop']);
    await page.select(region, 'us-east-1');
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-test="group-link"]')].some((a) => a.textContent === 'eu-shop'));
  });

  it('made no request off the machine and logged no error', () => {
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });
});
