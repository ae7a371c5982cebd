import * as echarts from "echarts/core";

// ECharts draws labels in its default family (model/globalDefault.js); measure in the same one.
const family = () =>
  typeof navigator !== "undefined" && /^Win/.test(navigator.platform) ? "Microsoft YaHei" : "sans-serif";
const font = (size: number, bold: boolean) => `${bold ? "bold " : ""}${size}px ${family()}`;

/** How wide `text` is drawn (measured on a canvas in the browser, estimated elsewhere). */
export const labelWidth = (text: string, size: number, bold = false): number =>
  echarts.format.getTextRect(text, font(size, bold)).width;

/**
 * `text` cut with "…" to fit `width` pixels: a label in a chart's margin would otherwise run off the
 * canvas. The charts' tooltips carry the full name.
 */
export const fitLabel = (text: string, width: number, size: number, bold = false): string =>
  echarts.format.truncateText(text, width, font(size, bold), "…");
