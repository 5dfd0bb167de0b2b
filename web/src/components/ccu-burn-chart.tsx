import { Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * CCU debited per hour as bars (uPlot on a canvas). uPlot is heavy for the first screen: import
 * this only from a lazily loaded page, never from the shell or anything the entry imports (the
 * bundle-size test holds the line). The canvas says nothing to a screen reader, so the figure
 * carries a summary as its accessible name.
 */
export interface BurnPoint {
  hour: string;
  debitedMilli: number;
}

const BLUE = '#1971c2';

export function CcuBurnChart({ series, height = 220 }: { series: BurnPoint[]; height?: number }) {
  const { ref: boxRef, width } = useElementSize();
  const plotRef = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const data = useMemo<uPlot.AlignedData>(() => [series.map((p) => Date.parse(p.hour) / 1000), series.map((p) => p.debitedMilli / 1000)], [series]);

  useEffect(() => {
    const el = plotRef.current;
    if (!el || width <= 0) return;
    if (chart.current) {
      chart.current.setSize({ width, height });
      return;
    }
    chart.current = new uPlot(options(width, height, el), data, el);
    // Data changes are the effect below; size changes come back here.
  }, [width, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );

  return (
    <figure style={{ margin: 0 }}>
      <div ref={boxRef} style={{ width: '100%', minHeight: height }}>
        <div ref={plotRef} role="img" aria-label={summary(series)} data-testid="ccu-chart" />
      </div>
      <Text component="figcaption" size="xs" c="dimmed">CCU debited for usage in each hour (local time)</Text>
    </figure>
  );
}

function options(width: number, height: number, el: HTMLElement): uPlot.Options {
  // Axis labels in the page's own text colour, so they read in light and dark schemes alike.
  const text = getComputedStyle(el).color || '#000';
  const grid = { stroke: 'rgba(128,128,128,0.25)', width: 1 };
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { stroke: text, grid, ticks: grid },
      { stroke: text, grid, ticks: grid, size: 56, values: (_u, vals) => vals.map((v) => `${v}`) },
    ],
    series: [{}, { label: 'CCU', stroke: BLUE, fill: 'rgba(25,113,194,0.45)', width: 1, paths: uPlot.paths.bars?.({ size: [0.7, 60] }), points: { show: false } }],
  };
}

function summary(series: BurnPoint[]): string {
  const total = series.reduce((n, p) => n + p.debitedMilli, 0);
  const peak = series.reduce<BurnPoint | null>((best, p) => (!best || p.debitedMilli > best.debitedMilli ? p : best), null);
  const ccu = (milli: number) => (milli / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 });
  if (!peak || total === 0) return `CCU debited per hour over the last ${series.length} hours: none`;
  const at = new Date(peak.hour).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return `CCU debited per hour over the last ${series.length} hours: ${ccu(total)} CCU in all, at most ${ccu(peak.debitedMilli)} CCU in the hour from ${at}`;
}
