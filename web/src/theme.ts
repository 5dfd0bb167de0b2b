import { createTheme } from '@mantine/core';

/**
 * One theme for the console and the portal. Focus rings are always visible (keyboard users must
 * see where they are), and the primary shade is dark enough for AA contrast on white.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  focusRing: 'always',
  // People who asked their system for less motion get no transitions (dialogs, menus).
  respectReducedMotion: true,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // A dialog's close button is an icon: screen readers need its name. (A plain object rather than
  // Modal.extend, so the first screen does not download the dialog.)
  components: { Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } } },
});
