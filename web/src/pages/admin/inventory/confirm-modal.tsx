import { Button, Group, Modal, Stack, Text } from '@mantine/core';

/** Asks once more before something that cannot be undone (a delete, a revoke). */
export function ConfirmModal({ opened, title, text, action, busy, onConfirm, onClose }: {
  opened: boolean;
  title: string;
  text: string;
  action: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={title}>
      <Stack>
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>Keep it</Button>
          <Button color="red" onClick={onConfirm} loading={busy}>{action}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
