// The dashboard in a real browser: headless Chromium (Debian's) driven by playwright-core, against
// a valetd started here with an API token and real jobs. Every page is loaded, a job is submitted
// through the form and watched to completion, jobs are retried, cancelled and deleted through the
// buttons, and a job named like an HTML tag must show as text. Screenshots go to $SCREENSHOT_DIR.
//
//   VALETD=build/app/valetd SCREENSHOT_DIR=build/ui-screenshots node dashboard_test.mjs

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VALETD = process.env.VALETD;
const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.join(os.tmpdir(), 'valet-ui-screenshots');
const TOKEN = 'dashboard-test-token-0123456789';
const XSS_NAME = '<img src=x onerror=alert(1)>';
// Every wait is bounded by this, and never timed: the machine is shared.
const LIMIT_MS = 20000;

let valetd;
let valetdLog = '';
let baseUrl;
let context;
let page;
let workDir;
const dialogs = [];
const problems = [];  // console errors, page errors, CSP refusals

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function call(method, route, body) {
  const reply = await fetch(baseUrl + route, {
    method,
    headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await reply.text();
  return { status: reply.status, json: text ? JSON.parse(text) : null };
}

async function until(what, check) {
  const deadline = Date.now() + LIMIT_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function submitJob(request) {
  const reply = await call('POST', '/api/jobs', request);
  assert.equal(reply.status, 202, JSON.stringify(reply.json));
  return reply.json.id;
}

async function finished(id) {
  return until(`job ${id} to finish`, async () => {
    const job = (await call('GET', '/api/jobs/' + id)).json;
    return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status) ? job : null;
  });
}

async function screenshot(name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, name + '.png'), fullPage: true });
}

// Goes to a dashboard route and waits for `selector` to be drawn.
async function open(hash, selector) {
  await page.goto(baseUrl + '/ui/' + hash);
  await page.locator(selector).first().waitFor({ state: 'attached', timeout: LIMIT_MS });
}

before(async () => {
  assert.ok(VALETD, 'VALETD must name the valetd binary');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/install-test-deps.sh installs it`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'valet-ui-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const config = path.join(workDir, 'config.yaml');
  fs.writeFileSync(config, [
    'server:', '  protocol: http', '  http:', '    host: 127.0.0.1', `    port: ${port}`,
    'job_queue:', '  option: memory', 'repository:', '  option: memory',
    'worker_pool:', '  workers: 2', ''].join('\n'));
  valetd = spawn(VALETD, ['--config', config], {
    env: { ...process.env, VALET_API_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  valetd.stdout.on('data', (chunk) => { valetdLog += chunk; });
  valetd.stderr.on('data', (chunk) => { valetdLog += chunk; });
  await until('valetd to answer', async () => {
    try {
      return (await fetch(baseUrl + '/api/status')).ok;
    } catch {
      return false;
    }
  });

  context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] || await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type() + ': ' + dialog.message());
    dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[134]/.test(message.text())) {
      problems.push('console: ' + message.text());
    }
  });
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
});

after(async () => {
  if (context) await context.close();
  if (valetd) valetd.kill('SIGTERM');
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('the page is served with a strict Content-Security-Policy and asks for the token', async () => {
  const reply = await page.goto(baseUrl + '/ui/');
  assert.equal(reply.status(), 200);
  const headers = reply.headers();
  assert.match(headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  await page.locator('#notice').filter({ hasText: 'needs an API token' }).waitFor({ timeout: LIMIT_MS });
  await screenshot('00-token-needed');
  await page.fill('#token', TOKEN);
  await page.click('#token-form button');
  await page.locator('#status-counts .card').first().waitFor({ timeout: LIMIT_MS });
  assert.equal(await page.locator('#notice').isHidden(), true);
});

test('the overview counts the jobs by status and charts the last hour', async () => {
  const ok = await Promise.all([1, 2, 3].map((n) =>
    submitJob({ name: 'warm-up ' + n, task_name: 'echo', task_params: { n } })));
  const failed = await submitJob({ name: 'breaks', task_name: 'fail',
    task_params: { message: 'disk full' } });
  for (const id of [...ok, failed]) await finished(id);
  const jobs = (await call('GET', '/api/jobs')).json.jobs;
  const completed = jobs.filter((job) => job.status === 'COMPLETED').length;

  await open('#/', '#status-counts .card');
  const card = page.locator('#status-counts [data-status="COMPLETED"] .card-value');
  await until('the COMPLETED count', async () => (await card.textContent()) === String(completed));
  const stats = (await call('GET', '/api/stats')).json;
  assert.ok(stats.completed >= completed, JSON.stringify(stats));
  assert.equal(await page.locator('#completed-last-hour .card-value').textContent(),
    String(stats.completed));
  assert.ok(await page.locator('#throughput svg rect.bar-completed').count() >= 1);
  assert.ok(await page.locator('#throughput svg rect.bar-failed').count() >= 1);
  await screenshot('01-overview');
});

test('a job named like an HTML tag is shown as text', async () => {
  const id = await submitJob({ name: XSS_NAME, task_name: 'echo',
    task_params: { html: '<script>alert(2)</script>' } });
  await finished(id);
  await open('#/jobs', '#job-list table');
  const link = page.locator('#job-list a', { hasText: XSS_NAME });
  await link.first().waitFor({ timeout: LIMIT_MS });
  assert.equal(await link.first().textContent(), XSS_NAME);
  assert.equal(await page.locator('#job-list img').count(), 0);
  await screenshot('02-jobs');

  await open('#/jobs/' + id, '#job-name');
  assert.equal(await page.locator('#job-name').textContent(), XSS_NAME);
  await page.locator('pre.json', { hasText: '<script>alert(2)</script>' }).first()
    .waitFor({ timeout: LIMIT_MS });
  assert.equal(await page.locator('#job img, #job script').count(), 0);
  assert.deepEqual(dialogs, []);
});

test('the job list filters by status and task', async () => {
  await open('#/jobs', '#job-list table');
  await page.selectOption('#filter-status', 'FAILED');
  await until('only FAILED jobs', async () => {
    const statuses = await page.locator('#job-list tbody .status').allTextContents();
    return statuses.length > 0 && statuses.every((s) => s === 'FAILED');
  });
  await page.selectOption('#filter-status', '');
  await page.selectOption('#filter-task', 'fail');
  await until('only jobs of the task fail', async () => {
    const rows = await page.locator('#job-list tbody tr').allTextContents();
    return rows.length > 0 && rows.every((row) => row.includes('fail'));
  });
});

test('a job submitted through the form runs to completion', async () => {
  await open('#/submit', '#submit-task option');
  await page.selectOption('#submit-task', 'echo');
  await page.fill('#submit-name', 'from the form');
  await page.fill('#submit-params', '{oops');
  await page.click('#submit-button');
  await page.locator('#submit-error', { hasText: 'not valid JSON' }).waitFor({ timeout: LIMIT_MS });
  await page.fill('#submit-params', '{"hello": "dashboard"}');
  await screenshot('03-submit');
  await page.click('#submit-button');
  await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/, { timeout: LIMIT_MS });
  await page.locator('#job h1 .status, h1 .status', { hasText: 'COMPLETED' })
    .waitFor({ timeout: LIMIT_MS });
  await page.locator('pre.json', { hasText: '"hello": "dashboard"' }).first()
    .waitFor({ timeout: LIMIT_MS });
  const id = decodeURIComponent(page.url().split('#/jobs/')[1]);
  const job = (await call('GET', '/api/jobs/' + id)).json;
  assert.equal(job.name, 'from the form');
  assert.equal(job.status, 'COMPLETED');
  await screenshot('04-job-completed');
});

test('a failed job is retried, a running one cancelled, and a finished one deleted', async () => {
  const failed = await submitJob({ name: 'retry me', task_name: 'fail',
    task_params: { message: 'try again' } });
  await finished(failed);
  await open('#/jobs/' + failed, '#action-retry');
  await page.locator('#result-error', { hasText: 'try again' }).waitFor({ timeout: LIMIT_MS });
  const fields = await page.locator('#job dl.details').evaluate((list) =>
    Object.fromEntries([...list.querySelectorAll('dt')].map((dt) =>
      [dt.textContent, dt.nextElementSibling.textContent])));
  assert.equal(fields.ID, failed);
  assert.equal(fields.Task, 'fail');
  assert.equal(fields.Failure, 'try again');
  assert.equal(fields.Attempt, '1');
  await screenshot('05-job-failed');
  await page.click('#action-retry');
  await page.waitForURL((url) => /#\/jobs\/[0-9a-f-]{36}$/.test(url.hash) &&
    !url.hash.endsWith(failed), { timeout: LIMIT_MS });
  const retried = decodeURIComponent(page.url().split('#/jobs/')[1]);
  assert.equal((await finished(retried)).name, 'retry me');

  const sleeping = await submitJob({ name: 'long nap', task_name: 'sleep',
    task_params: { ms: 60000 } });
  await until('the nap to start', async () =>
    (await call('GET', '/api/jobs/' + sleeping)).json.status === 'IN_PROGRESS');
  await open('#/jobs/' + sleeping, '#action-cancel');
  await page.click('#action-cancel');
  await page.locator('h1 .status', { hasText: 'CANCELLED' }).waitFor({ timeout: LIMIT_MS });
  assert.equal((await call('GET', '/api/jobs/' + sleeping)).json.status, 'CANCELLED');

  await open('#/jobs/' + retried, '#action-delete');
  await page.click('#action-delete');
  await page.waitForURL(/#\/jobs$/, { timeout: LIMIT_MS });
  assert.equal((await call('GET', '/api/jobs/' + retried)).status, 404);
  assert.ok(dialogs.some((d) => d.startsWith('confirm: Delete job')), dialogs.join('; '));
});

// Tasks cannot report progress yet: the job's JSON is given a progress field on its way to the
// page, as valetd will send it once they can.
test('a running job with progress shows a progress bar', async () => {
  const id = await submitJob({ name: 'copying', task_name: 'sleep', task_params: { ms: 60000 } });
  await until('the copy to start', async () =>
    (await call('GET', '/api/jobs/' + id)).json.status === 'IN_PROGRESS');
  const route = (url) => url.pathname === '/api/jobs/' + id;
  await page.route(route, async (intercepted) => {
    const reply = await intercepted.fetch();
    const job = await reply.json();
    job.progress = { fraction: 0.4, message: 'copied 4 of 10 files' };
    await intercepted.fulfill({ response: reply, json: job });
  });
  await open('#/jobs/' + id, '#progress progress');
  assert.equal(await page.locator('#progress progress').evaluate((bar) => bar.value), 0.4);
  assert.match(await page.locator('#progress').textContent(), /40% copied 4 of 10 files/);
  await screenshot('09-progress');
  await page.unroute(route);
  assert.equal((await call('POST', `/api/jobs/${id}/cancel`, {})).status, 200);
});

test('pipelines show their jobs in order, coloured by status', async () => {
  const reply = await call('POST', '/api/pipelines', { name: 'etl', jobs: [
    { name: 'extract', task_name: 'echo' },
    { name: 'transform', task_name: 'fail', task_params: { message: 'bad row' } },
    { name: 'load', task_name: 'echo' }] });
  assert.equal(reply.status, 202);
  const id = reply.json.id;
  await until('the pipeline to end', async () =>
    (await call('GET', '/api/pipelines/' + id)).json.status === 'FAILED');

  await open('#/pipelines', '#pipeline-list .chain .step');
  const steps = page.locator('#pipeline-list tr', { hasText: 'etl' }).locator('.step');
  await until('three steps', async () => (await steps.count()) === 3);
  assert.deepEqual(await steps.allTextContents(), ['extract', 'transform', 'load']);
  assert.deepEqual(await steps.evaluateAll((nodes) => nodes.map((n) => n.dataset.status)),
    ['COMPLETED', 'FAILED', 'CANCELLED']);
  await screenshot('06-pipelines');
  await open('#/pipelines/' + id, '#pipeline .chain .step');
  assert.equal(await page.locator('#pipeline .step.status-failed').textContent(), 'transform');
  await screenshot('07-pipeline');
});

test('schedules are listed', async () => {
  const reply = await call('POST', '/api/schedules', { name: 'hourly report', every: '1h',
    job: { name: 'report', task_name: 'noop' } });
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
  await open('#/schedules', '#schedule-list table');
  await page.locator('#schedule-list td', { hasText: 'hourly report' }).waitFor({ timeout: LIMIT_MS });
  await screenshot('08-schedules');
});

test('nothing went wrong in the page', () => {
  assert.deepEqual(problems, [], valetdLog.slice(-2000));
  assert.deepEqual(dialogs.filter((d) => !d.startsWith('confirm:')), []);
});
