import { createTheme } from '@mantine/core';

/**
 * One theme for the console and the portal. Focus rings are always visible (keyboard users must
 * see where they are), the primary shade is dark enough for AA contrast on white, and those who
 * ask their system for reduced motion get no transitions.
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  focusRing: 'always',
  respectReducedMotion: true,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});
