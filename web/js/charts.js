// Two small SVG charts for the dashboard. They are readable without colour: every bar and point
// carries its value as text, bars are told apart by fill patterns and labels, and each chart is an
// image with a title and a description for screen readers (a data table follows every chart too).
import { svg } from './dom.js';

let nextId = 0;

/** Fill patterns by name; each chart defines the ones it uses under ids of its own. */
const PATTERNS = {
  solid: (id, color) => svg('pattern', { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse' },
    svg('rect', { width: 8, height: 8, fill: color })),
  diagonal: (id, color) => svg('pattern', { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 8, height: 8, fill: '#ffffff' }),
    svg('rect', { width: 4, height: 8, fill: color })),
  dots: (id, color) => svg('pattern', { id, width: 7, height: 7, patternUnits: 'userSpaceOnUse' },
    svg('rect', { width: 7, height: 7, fill: '#ffffff' }),
    svg('circle', { cx: 3.5, cy: 3.5, r: 2.2, fill: color })),
  cross: (id, color) => svg('pattern', { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse' },
    svg('rect', { width: 8, height: 8, fill: '#ffffff' }),
    svg('path', { d: 'M0 4H8M4 0V8', stroke: color, 'stroke-width': 2 })),
};

function frame(width, height, title, description) {
  const id = `chart-${++nextId}`;
  return {
    id,
    root: svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', class: 'chart',
      'aria-labelledby': `${id}-title ${id}-desc`, preserveAspectRatio: 'xMidYMid meet' },
    svg('title', { id: `${id}-title`, text: title }),
    svg('desc', { id: `${id}-desc`, text: description })),
  };
}

/**
 * A bar chart. bars: [{label, value, text?, pattern?, color?}]; `text` is what is printed above the
 * bar (default the value). Returns the SVG element.
 */
export function barChart({ title, description, bars, width = 520, height = 240 }) {
  const { id, root } = frame(width, height, title, description);
  const left = 12;
  const right = 12;
  const top = 28;
  const bottom = 44;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - left - right) / Math.max(1, bars.length);
  const barW = Math.min(64, slot * 0.7);
  const defs = svg('defs');
  root.append(defs);
  const used = new Map();
  root.append(svg('line', { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, stroke: '#4a5260', 'stroke-width': 1.5 }));
  bars.forEach((bar, i) => {
    const pattern = bar.pattern || 'solid';
    const color = bar.color || '#0a58a6';
    const key = `${pattern}-${color}`;
    if (!used.has(key)) {
      const pid = `${id}-p${used.size}`;
      used.set(key, pid);
      defs.append(PATTERNS[pattern](pid, color));
    }
    const h = bar.value === 0 ? 0 : Math.max(2, (bar.value / max) * plotH);
    const x = left + slot * i + (slot - barW) / 2;
    const y = top + plotH - h;
    root.append(svg('rect', { x, y, width: barW, height: h, fill: `url(#${used.get(key)})`, stroke: color, 'stroke-width': 1.5 }));
    root.append(svg('text', { x: x + barW / 2, y: y - 6, 'text-anchor': 'middle', class: 'chart-value', text: bar.text ?? String(bar.value) }));
    root.append(svg('text', { x: x + barW / 2, y: top + plotH + 18, 'text-anchor': 'middle', class: 'chart-label', text: bar.label }));
    if (bar.sublabel) {
      root.append(svg('text', { x: x + barW / 2, y: top + plotH + 36, 'text-anchor': 'middle', class: 'chart-sublabel', text: bar.sublabel }));
    }
  });
  return root;
}

/**
 * A line chart over equally spaced points: [{label, value (null = no data), text?}], on a fixed
 * y range [min, max] with gridlines at `ticks`. Gaps (no responses that week) break the line.
 */
export function lineChart({ title, description, points, min, max, ticks, width = 520, height = 240 }) {
  const { root } = frame(width, height, title, description);
  const left = 44;
  const right = 28;
  const top = 24;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xAt = (i) => left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const yAt = (v) => top + plotH - ((v - min) / (max - min)) * plotH;
  for (const t of ticks) {
    root.append(svg('line', { x1: left, x2: width - right, y1: yAt(t), y2: yAt(t), stroke: '#d5d9e0', 'stroke-width': 1,
      'stroke-dasharray': t === 0 ? null : '4 4' }));
    root.append(svg('text', { x: left - 8, y: yAt(t) + 4, 'text-anchor': 'end', class: 'chart-axis', text: String(t) }));
  }
  let run = [];
  const flush = () => {
    if (run.length > 1) {
      root.append(svg('polyline', { points: run.map(([x, y]) => `${x},${y}`).join(' '), fill: 'none', stroke: '#0a58a6', 'stroke-width': 2.5 }));
    }
    run = [];
  };
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      flush();
      return;
    }
    run.push([xAt(i), yAt(p.value)]);
  });
  flush();
  // Labels every few points when there are many, so they never overlap; counted from the end, so
  // the latest week always has its label.
  const every = Math.max(1, Math.ceil(points.length / 7));
  points.forEach((p, i) => {
    const x = xAt(i);
    if (p.value !== null && p.value !== undefined) {
      const y = yAt(p.value);
      root.append(svg('circle', { cx: x, cy: y, r: 4.5, fill: '#ffffff', stroke: '#0a58a6', 'stroke-width': 2.5 }));
      root.append(svg('text', { x, y: y - 10, 'text-anchor': 'middle', class: 'chart-value', text: p.text ?? String(p.value) }));
    }
    if ((points.length - 1 - i) % every === 0) {
      root.append(svg('text', { x, y: height - 14, 'text-anchor': 'middle', class: 'chart-label', text: p.label }));
    }
  });
  return root;
}

/** A legend entry: a small swatch in the bar's pattern beside its name. */
export function swatch(pattern, color) {
  const { id, root } = frame(18, 18, '', '');
  root.removeAttribute('role');
  root.removeAttribute('aria-labelledby');
  root.setAttribute('aria-hidden', 'true');
  root.setAttribute('width', '18');
  root.setAttribute('height', '18');
  root.replaceChildren(svg('defs', {}, PATTERNS[pattern](`${id}-s`, color)),
    svg('rect', { x: 1, y: 1, width: 16, height: 16, fill: `url(#${id}-s)`, stroke: color, 'stroke-width': 1.5 }));
  return root;
}
