import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * One theme for the console and the portal. Focus rings are always visible (keyboard users must
 * see where they are), the primary shade is dark enough for AA contrast on white, and those who
 * ask their system for reduced motion get no transitions.
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

/**
 * Mantine's light scheme writes errors in red 6, secondary text (descriptions, dimmed) in gray 6
 * and the words of light badges, buttons and alerts in their colour's 6: all under AA's 4.5:1
 * on white or on their tinted background. These pass it; the tint keeps the colour.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.keys(t.colors).map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 70%, black)`]),
    ),
  },
  dark: {},
});
