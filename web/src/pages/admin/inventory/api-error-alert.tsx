import { Alert, Code, List, Text } from '@mantine/core';
import { ApiError, errorText } from '../../../api/client.ts';

/**
 * Why the server refused something, as it said it: the stable code (docs/errors.md), its
 * message, and what its details name (the fields that failed, the products that use an image).
 */
export function ApiErrorAlert({ error, title, onClose }: { error: unknown; title: string; onClose?: () => void }) {
  const issues = error instanceof ApiError ? issuesOf(error.details) : [];
  const products = error instanceof ApiError && Array.isArray(error.details?.products) ? (error.details.products as unknown[]).map(String) : [];
  return (
    <Alert color="red" role="alert" title={title} withCloseButton={onClose !== undefined} onClose={onClose} closeButtonLabel="Dismiss">
      {error instanceof ApiError ? (
        <Text size="sm">
          <Code data-testid="error-code">{error.code}</Code> {error.message}
        </Text>
      ) : (
        <Text size="sm">{errorText(error)}</Text>
      )}
      {issues.length > 0 && (
        <List size="sm" mt={4}>
          {issues.map((i) => <List.Item key={`${i.path}:${i.message}`}>{i.path ? `${i.path}: ` : ''}{i.message}</List.Item>)}
        </List>
      )}
      {products.length > 0 && <Text size="sm" mt={4}>Used by product{products.length > 1 ? 's' : ''}: {products.join(', ')}</Text>}
    </Alert>
  );
}

function issuesOf(details: Record<string, unknown> | undefined): { path: string; message: string }[] {
  const raw = details?.issues;
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, 20).map((i: { path?: unknown; message?: unknown }) => ({ path: String(i.path ?? '').replace(/^\//, '').replace(/\//g, '.'), message: String(i.message ?? '') }));
}
