import { lazy } from 'react';
import type { PageEntry } from '../page-entry.ts';

/**
 * The admin console's pages, in menu order. A new capability adds its page file here (one
 * resource per file, `<name>-page.tsx`) and a browser test under test/browser/.
 */
export const adminPages: PageEntry[] = [
  { path: '', label: 'Dashboard', component: lazy(() => import('./dashboard-page.tsx')) },
  { path: 'appliances', label: 'Appliances', component: lazy(() => import('./appliances-page.tsx')) },
  { path: 'appliances/:id', label: 'Appliance', component: lazy(() => import('./appliance-page.tsx')), nav: false },
  { path: 'designer', label: 'Stack designer', component: lazy(() => import('../portal/designer-page.tsx')) },
];
