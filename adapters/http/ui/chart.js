// The overview's chart: jobs finished per minute over the last hour as stacked bars (completed
// and failed), and the failure rate of each minute as a line on a 0–100% scale. Plain SVG.

import { svg } from './dom.js';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 40, right: 44, top: 12, bottom: 26 };

// `minutes`: [{start, completed, failed}], oldest first, as GET /api/stats gives them.
export function throughputChart(minutes) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const most = Math.max(1, ...minutes.map((m) => m.completed + m.failed));
  const scale = niceCeiling(most);
  const slot = plotWidth / Math.max(1, minutes.length);
  const y = (count) => PAD.top + plotHeight - (count / scale) * plotHeight;

  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img',
    'aria-label': 'Jobs finished per minute and failure rate, last hour',
  });
  for (const fraction of [0, 0.5, 1]) {
    const at = y(scale * fraction);
    chart.append(
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: at, y2: at, class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: at + 4, class: 'axis', 'text-anchor': 'end' },
        String(Math.round(scale * fraction))),
      svg('text', { x: WIDTH - PAD.right + 6, y: at + 4, class: 'axis rate-axis' },
        Math.round(fraction * 100) + '%'));
  }
  const rate = [];
  minutes.forEach((minute, i) => {
    const x = PAD.left + i * slot + 1;
    const barWidth = Math.max(1, slot - 2);
    const label = `${hhmm(minute.start)}: ${minute.completed} completed, ${minute.failed} failed`;
    if (minute.completed > 0) {
      chart.append(svg('rect', {
        x, width: barWidth, y: y(minute.completed), height: y(0) - y(minute.completed),
        class: 'bar-completed',
      }, svg('title', {}, label)));
    }
    if (minute.failed > 0) {
      const top = minute.completed + minute.failed;
      chart.append(svg('rect', {
        x, width: barWidth, y: y(top), height: y(minute.completed) - y(top), class: 'bar-failed',
      }, svg('title', {}, label)));
    }
    const finished = minute.completed + minute.failed;
    if (finished > 0) {
      rate.push(`${x + barWidth / 2},${PAD.top + plotHeight * (1 - minute.failed / finished)}`);
    }
  });
  if (rate.length > 1) chart.append(svg('polyline', { points: rate.join(' '), class: 'rate' }));
  for (const i of [0, Math.floor(minutes.length / 2), minutes.length - 1]) {
    if (!minutes[i]) continue;
    chart.append(svg('text', {
      x: PAD.left + i * slot + slot / 2, y: HEIGHT - 8, class: 'axis', 'text-anchor': 'middle',
    }, hhmm(minutes[i].start)));
  }
  return chart;
}

function niceCeiling(value) {
  const step = 10 ** Math.floor(Math.log10(value));
  for (const multiple of [1, 2, 5, 10]) {
    if (multiple * step >= value) return multiple * step;
  }
  return value;
}

function hhmm(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return String(date.getHours()).padStart(2, '0') + ':' + String(date.getMinutes()).padStart(2, '0');
}
