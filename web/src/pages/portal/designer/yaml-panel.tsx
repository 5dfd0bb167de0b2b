import { Alert, Stack, Text, Textarea, Title } from '@mantine/core';
import type { StackIssue } from '../../../../../src/domain/stack.ts';

export function issueText(i: StackIssue): string {
  return `${i.line === undefined ? '' : `Line ${i.line}: `}${i.path === '' ? '' : `${i.path}: `}${i.message}`;
}

/**
 * The document as text, beside the board. Typing here redraws the board as soon as the text is a
 * valid stack; until then the board keeps its last valid version and the problems are listed
 * with their lines. Leaving the box shows a valid text in its canonical form.
 */
export function YamlPanel({ yaml, issues, broken, onChange, onSettle }: { yaml: string; issues: StackIssue[]; broken: boolean; onChange: (text: string) => void; onSettle: () => void }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="yaml-title">
      <Title order={2} size="h5" id="yaml-title">YAML</Title>
      <Textarea
        label="Stack document"
        description="apiVersion fleetyard.io/v1, kind Stack"
        value={yaml}
        onChange={(e) => onChange(e.currentTarget.value)}
        onBlur={onSettle}
        rows={24}
        resize="vertical"
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 13 } }}
        data-testid="stack-yaml"
        error={issues.length > 0 ? `${issues.length} problem${issues.length === 1 ? '' : 's'}` : undefined}
      />
      <div aria-live="polite" data-testid="yaml-issues">
        {broken && <Alert color="red" p="xs"><Text size="sm">This text is not a valid stack: the board shows the last valid version.</Text></Alert>}
        {issues.length > 0 && (
          <ul className="designer-issues">
            {issues.map((i, n) => <li key={`${n}-${i.path}-${i.code}`}>{issueText(i)}</li>)}
          </ul>
        )}
      </div>
    </Stack>
  );
}
