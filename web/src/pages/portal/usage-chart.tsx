import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Account, UsageSeries } from './portal-types.ts';

/**
 * The CCU over time, drawn with uPlot (loaded with the CCU page only, never with the shell): the
 * posted balance after each hour or day, what each one debited, and the forecast as a dashed
 * line from the balance now (less what the open meters have run up) to zero at `lastsUntil`.
 * The same figures are in the text beside the chart, for those who do not see it.
 */
export interface ChartData {
  x: number[];
  balance: Array<number | null>;
  debited: Array<number | null>;
  forecast: Array<number | null>;
}

const SECOND = 1000;

/** The series uPlot draws, in CCU, with time in seconds. */
export function chartData(series: UsageSeries, account: Account, now: Date): ChartData {
  const x: number[] = [];
  const balance: Array<number | null> = [];
  const debited: Array<number | null> = [];
  const forecast: Array<number | null> = [];
  for (const p of series.points) {
    x.push(Date.parse(p.start) / SECOND);
    balance.push(p.balanceMilli / 1000);
    debited.push(p.debitMilli / 1000);
    forecast.push(null);
  }
  const last = x.at(-1) ?? 0;
  const nowS = Math.max(now.getTime() / SECOND, last + 1);
  const left = (account.balanceMilli - account.unpostedMilli) / 1000;
  // The forecast starts at the last posted balance and runs from now to zero (or past the chart).
  if (forecast.length > 0) forecast[forecast.length - 1] = (series.points.at(-1)?.balanceMilli ?? 0) / 1000;
  x.push(nowS);
  balance.push(null);
  debited.push(null);
  forecast.push(left);
  const span = series.points.length > 1 ? nowS - (x[0] ?? nowS) : 86_400;
  if (account.lastsUntil) {
    const until = Date.parse(account.lastsUntil) / SECOND;
    const horizon = nowS + span / 3;
    if (until > nowS) {
      const endX = Math.min(until, horizon);
      x.push(endX);
      balance.push(null);
      debited.push(null);
      forecast.push(until <= horizon ? 0 : left * (1 - (endX - nowS) / (until - nowS)));
    }
  }
  return { x, balance, debited, forecast };
}

export function UsageChart({ data, label }: { data: ChartData; label: string }) {
  const { ref: box, width } = useElementSize();
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = target.current;
    if (!el || width < 50) return;
    const plot = new uPlot(
      {
        width,
        height: 260,
        scales: { x: { time: true }, ccu: { auto: true }, spent: { auto: true } },
        axes: [
          {},
          { scale: 'ccu', label: 'CCU', size: 60 },
          { scale: 'spent', side: 1, label: 'debited', grid: { show: false }, size: 50 },
        ],
        series: [
          {},
          { label: 'Balance', scale: 'ccu', stroke: '#1864ab', width: 2, spanGaps: false, points: { show: false } },
          { label: 'Debited', scale: 'spent', stroke: '#e8590c', fill: 'rgba(232,89,12,0.25)', paths: uPlot.paths.bars?.({ size: [0.6, 40] }), points: { show: false } },
          { label: 'Forecast', scale: 'ccu', stroke: '#1864ab', dash: [6, 6], width: 2, spanGaps: true, points: { show: false } },
        ],
        legend: { show: false },
      },
      [data.x, data.balance, data.debited, data.forecast],
      el,
    );
    return () => plot.destroy();
  }, [data, width]);
  return (
    <Box ref={box} w="100%">
      <div ref={target} role="img" aria-label={label} data-testid="usage-chart" />
      {width < 50 && <Text size="sm" c="dimmed">Drawing…</Text>}
    </Box>
  );
}
