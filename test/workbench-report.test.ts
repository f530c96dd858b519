// report.html in a real browser: headless Chromium (Debian's package; .ci/run installs it) opens the file
// with no network, logs no console error, and every chart has drawn its marks.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { writePlanted } from './helpers/planted.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('workbench-report.test.ts: skipped: no chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it)');

describe.skipIf(!CHROMIUM)('report.html in headless Chromium', () => {
  const out = join(tempDir('wb-report-'), 'out');
  beforeAll(async () => {
    const data = writePlanted(join(tempDir('wb-report-'), 'data'), 'clusters', { users: 300 });
    await evaluate({
      data, seeds: 2, workers: 0, out, recipes: ['aws-user-personalization', 'aws-sims'],
      config: [{ name: 'up-explore', recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3' } } }],
    });
  });

  test('is one self-contained file: no script, no external reference', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//i);
  });

  test('opens with no console error and every chart renders its marks', async () => {
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
        `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.setViewport({ width: 1300, height: 900 });
      await page.goto(`file://${join(out, 'report.html')}`, { waitUntil: 'load' });
      const charts = await page.$$eval('figure', (figs) => figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.id, width: box?.width ?? 0, height: box?.height ?? 0,
          marks: svg ? svg.querySelectorAll('.mark-rect path, .mark-line path, .mark-area path, .mark-symbol path, .mark-rule line').length : 0,
          title: svg?.querySelector('.role-title-text text')?.textContent ?? '',
        };
      }));
      expect(problems).toEqual([]);
      expect(charts.map((c) => c.id)).toEqual(['ndcg-curve', 'accuracy-coverage', 'segments', 'head-tail', 'popularity', 'training']);
      for (const c of charts) {
        expect(c.width, c.id).toBeGreaterThan(300);
        expect(c.height, c.id).toBeGreaterThan(100);
        expect(c.marks, c.id).toBeGreaterThan(2);
        expect(c.title, c.id).not.toBe('');
      }
      // The summary names every configuration; sample users show lists side by side.
      const text = await page.$eval('main', (m) => m.textContent ?? '');
      for (const name of ['aws-user-personalization', 'aws-sims', 'up-explore', 'aws-popularity-count']) expect(text).toContain(name);
      expect(await page.$$eval('.user', (u) => u.length)).toBe(4);
      expect(text).toContain('What your users would see');
    } finally {
      await browser.close();
    }
  });
});
