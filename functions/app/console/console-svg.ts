/**
 * Inline SVG for the console (no external assets, no script): clock progress bars and the
 * quality charts. Colors carry meaning only together with text (state label, percentages),
 * so the pages stay readable without color.
 */

import { escapeHtml } from '../pages/pages';
import type { BarState, ClockBar } from './console-model';

export const STATE_COLORS: Record<BarState, string> = {
  'on-time': '#1a7f37',
  warned: '#9a6700',
  breached: '#c62828',
  met: '#57606a',
  'met-late': '#953800',
};

export const STATE_LABELS: Record<BarState, { zh: string; en: string }> = {
  'on-time': { zh: '正常', en: 'on time' },
  warned: { zh: '已预警', en: 'warned' },
  breached: { zh: '已超时', en: 'breached' },
  met: { zh: '已完成', en: 'met' },
  'met-late': { zh: '逾期完成', en: 'met late' },
};

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * One clock as a bar toward its deadline. The wrapper carries data-state / data-fill so tests
 * (and people reading the source) see exactly what was drawn.
 */
export function progressBar(bar: ClockBar, width = 220): string {
  const h = 14;
  const w = Math.round(bar.fill * width);
  const color = STATE_COLORS[bar.state];
  const label = `${bar.view.id}: ${STATE_LABELS[bar.state].en}${bar.paused ? ', paused' : ''}, ${pct(bar.view.elapsedFraction)} of the allowed time used`;
  return (
    `<svg class="bar-svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>` +
    `<rect x="0" y="0" width="${width}" height="${h}" rx="3" fill="#eaeef2"/>` +
    `<rect class="fill" x="0" y="0" width="${w}" height="${h}" rx="3" fill="${color}"${bar.paused ? ' fill-opacity="0.55"' : ''}/>` +
    `</svg>`
  );
}

export interface HBar {
  readonly label: string;
  /** 0..1 */
  readonly value: number;
  readonly note: string;
  readonly good: boolean;
}

/** Horizontal bars (0..100 %) with an optional target line: SLA compliance per clock. */
export function hBarChart(title: string, bars: readonly HBar[], target?: number): string {
  const labelW = 170;
  const plotW = 360;
  const noteW = 120;
  const rowH = 22;
  const top = 24;
  const height = top + bars.length * rowH + 22;
  const width = labelW + plotW + noteW;
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowH;
      const w = Math.max(0, Math.min(1, b.value)) * plotW;
      return (
        `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${escapeHtml(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${plotW}" height="16" fill="#eaeef2"/>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="16" fill="${b.good ? STATE_COLORS['on-time'] : STATE_COLORS.breached}"/>` +
        `<text x="${labelW + plotW + 6}" y="${y + 15}" font-size="12">${escapeHtml(b.note)}</text>`
      );
    })
    .join('');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${labelW + t * plotW}" y="${height - 6}" text-anchor="middle" font-size="10" fill="#57606a">${t * 100}%</text>`)
    .join('');
  const targetLine =
    target === undefined
      ? ''
      : `<line x1="${labelW + target * plotW}" x2="${labelW + target * plotW}" y1="${top - 4}" y2="${height - 18}" stroke="#24292f" stroke-dasharray="4 3"/>` +
        `<text x="${labelW + target * plotW}" y="${top - 8}" text-anchor="middle" font-size="10">target ${target * 100}%</text>`;
  return (
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>${rows}${axis}${targetLine}</svg>`
  );
}

/**
 * One measure against its target on a 0..max scale: a bar, the target as a line, the value as
 * text. `good` decides the color (the caller knows whether higher or lower is better).
 */
export function targetChart(
  title: string,
  value: number | null,
  target: number,
  max: number,
  format: (x: number) => string,
  good: boolean,
  targetWord: 'target' | 'reference' = 'target',
): string {
  const width = 420;
  const height = 64;
  const left = 10;
  const plotW = width - 2 * left;
  const x = (v: number) => left + (Math.max(0, Math.min(max, v)) / max) * plotW;
  const bar =
    value === null
      ? `<text x="${left}" y="30" font-size="12" fill="#57606a">no data in this period / 本期无数据</text>`
      : `<rect x="${left}" y="16" width="${(x(value) - left).toFixed(1)}" height="20" fill="${good ? STATE_COLORS['on-time'] : STATE_COLORS.breached}"/>` +
        // The value sits after its bar, or inside it (white, right-aligned) when the bar is nearly full.
        (x(value) > width - 70
          ? `<text x="${x(value) - 4}" y="31" font-size="12" text-anchor="end" fill="#fff">${escapeHtml(format(value))}</text>`
          : `<text x="${x(value) + 4}" y="31" font-size="12">${escapeHtml(format(value))}</text>`);
  return (
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<rect x="${left}" y="16" width="${plotW}" height="20" fill="#eaeef2"/>${bar}` +
    `<line x1="${x(target)}" x2="${x(target)}" y1="10" y2="42" stroke="#24292f" stroke-width="2" stroke-dasharray="4 3"/>` +
    `<text x="${x(target)}" y="56" text-anchor="middle" font-size="10">${targetWord} ${escapeHtml(format(target))}</text>` +
    `</svg>`
  );
}

export { pct };
