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
  { path: 'resources', label: 'Resources', component: lazy(() => import('./resources-page.tsx')) },
  { path: 'images', label: 'Images', component: lazy(() => import('./images-page.tsx')) },
  { path: 'kernels', label: 'Kernels', component: lazy(() => import('./kernels-page.tsx')) },
  { path: 'networks', label: 'Networks', component: lazy(() => import('./networks-page.tsx')) },
  { path: 'networks/:id', label: 'Network', component: lazy(() => import('./network-page.tsx')), nav: false },
];
