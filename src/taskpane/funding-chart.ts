/*
 * A small, accessible SVG line chart of each venue's funding (daily mean APR) over the last 30 days. Hand-made
 * rather than a library: the one picture needs axes, a few lines and a legend (about 150 lines here, 0 KB of
 * dependencies), and doing it ourselves keeps what accessibility needs under our control: a <title> and <desc>
 * the chart is labelled by, axis labels, a text summary per venue, and lines told apart by dash pattern and
 * marker shape as well as by colour (the Okabe-Ito palette, readable with any colour vision).
 */
import { el } from "./dom";

const SVG = "http://www.w3.org/2000/svg";

export interface ChartSeries {
  label: string;
  points: { x: number; y: number }[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  formatX(x: number): string;
  formatY(y: number): string;
}

/** Okabe-Ito colours, each with its own dash pattern and marker, so no line depends on colour alone. */
export const STYLES = [
  { color: "#0072B2", dash: "", marker: "circle" },
  { color: "#D55E00", dash: "6 3", marker: "square" },
  { color: "#009E73", dash: "2 2", marker: "triangle" },
  { color: "#CC79A7", dash: "8 3 2 3", marker: "diamond" },
  { color: "#E69F00", dash: "1 3", marker: "cross" },
  { color: "#56B4E9", dash: "10 4", marker: "circle-open" },
  { color: "#000000", dash: "4 2 1 2", marker: "square-open" },
  // Okabe-Ito has no eighth colour readable on white: the blue again, with its own dashes and marker.
  { color: "#0072B2", dash: "12 3 3 3", marker: "triangle-open" },
] as const;

const W = 320;
const H = 200;
const PAD = { left: 48, right: 10, top: 12, bottom: 38 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * About `count` round tick values whose span contains [lo, hi]: the first at or below lo, the last at or above
 * hi, so every point is drawn inside the axes.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

function marker(kind: string, x: number, y: number, color: string): SVGElement {
  const open = kind.endsWith("-open");
  const paint = { fill: open ? "#fff" : color, stroke: color, "stroke-width": 1.5 };
  switch (kind.replace("-open", "")) {
    case "square":
      return svg("rect", { x: x - 3, y: y - 3, width: 6, height: 6, ...paint });
    case "triangle":
      return svg("path", { d: `M${x},${y - 4}L${x + 4},${y + 3}L${x - 4},${y + 3}Z`, ...paint });
    case "diamond":
      return svg("path", { d: `M${x},${y - 4}L${x + 4},${y}L${x},${y + 4}L${x - 4},${y}Z`, ...paint });
    case "cross":
      return svg("path", {
        d: `M${x - 3},${y - 3}L${x + 3},${y + 3}M${x - 3},${y + 3}L${x + 3},${y - 3}`,
        stroke: color,
        "stroke-width": 2,
      });
    default:
      return svg("circle", { cx: x, cy: y, r: 3, ...paint });
  }
}

/** A sentence per series for the text alternative: latest, lowest and highest value. */
export function summarise(series: readonly ChartSeries[], format: (y: number) => string): string[] {
  return series.map((s) => {
    if (s.points.length === 0) return `${s.label}: no data.`;
    const ys = s.points.map((p) => p.y);
    return (
      `${s.label}: latest ${format(ys[ys.length - 1])}, ` +
      `lowest ${format(Math.min(...ys))}, highest ${format(Math.max(...ys))}.`
    );
  });
}

let chartCount = 0;

/**
 * The chart as a <figure>: the SVG (role img, labelled by its title and described by its summary), a legend
 * that shows each line's pattern and marker, and the per-venue summary as text.
 */
export function lineChart(series: readonly ChartSeries[], options: ChartOptions): HTMLElement {
  const id = `chart-${++chartCount}`;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(0, ...ys));
  const [y0, y1] = [yTicks[0], Math.max(yTicks[yTicks.length - 1], yTicks[0] + 1e-12)];
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);

  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
    class: "line-chart",
  });
  const title = svg("title", { id: `${id}-title` });
  title.textContent = options.title;
  const lines = summarise(series, options.formatY);
  const desc = svg("desc", { id: `${id}-desc` });
  desc.textContent = lines.join(" ");
  root.append(title, desc);

  const axes = svg("g", { class: "axes", "aria-hidden": "true" });
  for (const t of yTicks) {
    const y = sy(t);
    axes.append(
      svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: t === 0 ? "zero" : "grid" }),
    );
    const label = svg("text", { x: PAD.left - 4, y: y + 3, "text-anchor": "end" });
    label.textContent = options.formatY(t);
    axes.append(label);
  }
  const xTickCount = 4;
  for (let i = 0; i < xTickCount && xs.length; i++) {
    const x = x0 + ((x1 - x0) * i) / (xTickCount - 1);
    const label = svg("text", { x: sx(x), y: H - PAD.bottom + 14, "text-anchor": "middle" });
    label.textContent = options.formatX(x);
    axes.append(label);
  }
  const xLabel = svg("text", {
    x: (PAD.left + W - PAD.right) / 2,
    y: H - 4,
    "text-anchor": "middle",
    class: "axis-label",
  });
  xLabel.textContent = options.xLabel;
  const yLabel = svg("text", {
    x: 0,
    y: 0,
    transform: `translate(11 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)`,
    "text-anchor": "middle",
    class: "axis-label",
  });
  yLabel.textContent = options.yLabel;
  axes.append(xLabel, yLabel);
  root.append(axes);

  series.forEach((s, i) => {
    const style = STYLES[i % STYLES.length];
    const g = svg("g", { class: "series", "data-label": s.label, "aria-hidden": "true" });
    if (s.points.length > 0) {
      g.append(
        svg("polyline", {
          points: s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" "),
          fill: "none",
          stroke: style.color,
          "stroke-width": 1.8,
          "stroke-dasharray": style.dash,
        }),
      );
      const last = s.points[s.points.length - 1];
      g.append(marker(style.marker, sx(last.x), sy(last.y), style.color));
    }
    root.append(g);
  });

  const legend = el("ul", undefined, { class: "chart-legend", "aria-label": "Legend" });
  series.forEach((s, i) => {
    const style = STYLES[i % STYLES.length];
    const sample = svg("svg", { width: 28, height: 10, viewBox: "0 0 28 10", "aria-hidden": "true" });
    sample.append(
      svg("line", {
        x1: 1,
        x2: 20,
        y1: 5,
        y2: 5,
        stroke: style.color,
        "stroke-width": 2,
        "stroke-dasharray": style.dash,
      }),
      marker(style.marker, 23, 5, style.color),
    );
    const item = el("li");
    item.append(sample, el("span", s.label));
    legend.append(item);
  });

  const figure = el("figure", undefined, { class: "chart" });
  const caption = el("figcaption", options.title);
  const summary = el("ul", undefined, { class: "chart-summary" });
  for (const line of lines) summary.append(el("li", line));
  figure.append(caption, root, legend, summary);
  return figure;
}
