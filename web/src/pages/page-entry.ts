import type { ComponentType, LazyExoticComponent } from 'react';

/**
 * One page of the console or the portal: its path under its area (/admin or /portal), the label
 * of its navigation link, and the component, loaded lazily so the first screen downloads only
 * what it shows. `nav: false` keeps a page (a detail view) out of the menu.
 */
export interface PageEntry {
  path: string;
  label: string;
  component: LazyExoticComponent<ComponentType>;
  nav?: boolean;
}
