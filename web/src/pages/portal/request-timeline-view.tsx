import { Text, Timeline, VisuallyHidden } from '@mantine/core';
import { showTime } from './local-time.ts';
import type { StepTone, TimelineStep } from './request-timeline.ts';

const COLOR: Record<StepTone, string> = { done: 'blue', current: 'yellow', bad: 'red', next: 'gray' };
const SPOKEN: Record<StepTone, string> = { done: 'done', current: 'now', bad: 'ended badly', next: 'next' };

/** The steps of a request's lifecycle, the past coloured, what comes next grey. */
export function RequestTimelineView({ steps }: { steps: TimelineStep[] }) {
  const active = steps.reduce((last, s, i) => (s.tone === 'next' ? last : i), 0);
  return (
    <Timeline active={active} bulletSize={16} lineWidth={2} data-testid="timeline">
      {steps.map((s) => (
        <Timeline.Item key={s.key} color={COLOR[s.tone]} title={s.title} data-tone={s.tone} data-testid="timeline-step">
          <VisuallyHidden>({SPOKEN[s.tone]})</VisuallyHidden>
          {s.at && <Text size="xs" c="dimmed">{showTime(s.at)}</Text>}
          {s.detail && <Text size="sm">{s.detail}</Text>}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
