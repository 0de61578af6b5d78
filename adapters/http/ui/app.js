// The dashboard: a page per hash route (#/jobs, #/jobs/ID, ...), each drawn from the API and
// refreshed while it is shown.

import { setToken, token } from './api.js';
import { clear, el } from './dom.js';
import { clearError, showError } from './notice.js';
import * as job from './pages/job.js';
import * as jobs from './pages/jobs.js';
import * as overview from './pages/overview.js';
import * as pipelines from './pages/pipelines.js';
import * as schedules from './pages/schedules.js';
import * as submit from './pages/submit.js';

const routes = [
  [/^#?\/?$/, overview.render, '#/'],
  [/^#\/jobs$/, jobs.render, '#/jobs'],
  [/^#\/jobs\/([^/]+)$/, job.render, '#/jobs'],
  [/^#\/pipelines$/, pipelines.renderList, '#/pipelines'],
  [/^#\/pipelines\/([^/]+)$/, pipelines.renderOne, '#/pipelines'],
  [/^#\/schedules$/, schedules.render, '#/schedules'],
  [/^#\/submit$/, submit.render, '#/submit'],
];

// What a page is given: where to draw, and timers that stop when the page is left.
class Page {
  constructor(main) {
    this.main = main;
    this.stopped = false;
    this.timers = new Set();
  }

  // Runs `task` now and again `ms` after each run ends, until the page is left.
  every(ms, task) {
    const run = async () => {
      if (this.stopped) return;
      try {
        await task();
        clearError();
      } catch (error) {
        if (!this.stopped) showError(error);
      }
      if (!this.stopped) this.timers.add(setTimeout(run, ms));
    };
    run();
  }

  stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}

let current = null;

async function route() {
  if (current) current.stop();
  clearError();
  const main = document.getElementById('main');
  clear(main);
  const hash = (location.hash || '#/').split('?')[0];
  const page = new Page(main);
  current = page;
  for (const [pattern, render, nav] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    for (const link of document.querySelectorAll('#nav a')) {
      link.classList.toggle('active', link.getAttribute('href') === nav);
    }
    try {
      await render(page, ...match.slice(1).map(decodeURIComponent));
    } catch (error) {
      showError(error);
    }
    return;
  }
  main.append(el('h1', {}, 'No such page'), el('p', {}, el('a', { href: '#/' }, 'Overview')));
}

function setUpToken() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token');
  input.value = token();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    route();
  });
}

setUpToken();
window.addEventListener('hashchange', route);
route();
