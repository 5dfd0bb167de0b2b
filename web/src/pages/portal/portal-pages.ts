import { lazy } from 'react';
import type { PageEntry } from '../page-entry.ts';

/** The self-service portal's pages, in menu order (see admin-pages.ts). */
export const portalPages: PageEntry[] = [
  { path: '', label: 'Overview', component: lazy(() => import('./overview-page.tsx')) },
  { path: 'designer', label: 'Stack designer', component: lazy(() => import('./designer-page.tsx')) },
];
